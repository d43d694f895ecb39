import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './create-sqlite-store';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./fixtures/race-child.ts', import.meta.url));

describe('sqlite store: two processes on one file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outrun-race-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('compare-and-set and idempotency hold across processes', async () => {
    const file = join(dir, 'race.db');
    const key = randomBytes(32).toString('hex');
    const count = 150;
    await createSqliteStore({ file, encryptionKey: key }).close(); // migrate up front (not required: migrations take the lock too)
    const args = ['--import', 'tsx', child, file, key, 'ws', String(count)];
    const [a, b] = await Promise.all([run(process.execPath, args), run(process.execPath, args)]);
    type Out = { won: number[]; runs: Array<[string, boolean]> };
    const [ra, rb] = [JSON.parse(a.stdout) as Out, JSON.parse(b.stdout) as Out];
    // no occurrence is owned by both processes
    expect(ra.won.filter((i) => rb.won.includes(i))).toEqual([]);
    expect(ra.won.length + rb.won.length).toBeGreaterThan(0);
    // every key resolved to one run, created by exactly one process
    for (let i = 0; i < count; i++) {
      const [idA, createdA] = ra.runs[i]!;
      const [idB, createdB] = rb.runs[i]!;
      expect(idA).toBe(idB);
      expect(Number(createdA) + Number(createdB)).toBe(1);
    }
    const store = createSqliteStore({ file, encryptionKey: key });
    expect(await store.triggers.getLastFiredOccurrence('ws', 'schedule-1')).toBe(new Date(Date.UTC(2026, 0, 1, 0, count - 1)).toISOString());
    expect((await store.runs.listRuns('ws', { limit: 500 })).items).toHaveLength(count);
    await store.close();
  });
});
