import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createSqliteStore } from './create-sqlite-store';

let temp: TempSqliteStore | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

const manual = { type: 'manual' as const, source: 'test', payload: { blob: 'x'.repeat(2000) } };

/** Writes `n` runs in one group commit: far below the 1,000-page automatic checkpoint of the service connection. */
async function writeRuns(t: TempSqliteStore, n: number): Promise<void> {
  const ws = (await t.store.workspaces.createWorkspace({ name: 'wal' })).id;
  await Promise.all(Array.from({ length: n }, () => t.store.runs.createRun(ws, { workflowId: 'wf', workflowVersion: 1, triggeredBy: manual })));
}

describe('background WAL checkpoint', () => {
  it('copies committed pages into the database file from its worker thread, without a commit crossing the threshold', async () => {
    temp = await createTempSqliteStore({ backgroundCheckpointMs: 20 });
    await new Promise((r) => setTimeout(r, 100)); // the start-up WAL is checkpointed first
    const before = statSync(temp.file).size;
    await writeRuns(temp, 40);
    const deadline = Date.now() + 5000;
    while (statSync(temp.file).size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(statSync(temp.file).size).toBeGreaterThan(before);
  });

  it('with it turned off, the same writes stay in the WAL until SQLite checkpoints inside a commit', async () => {
    temp = await createTempSqliteStore({ backgroundCheckpointMs: 0 });
    await new Promise((r) => setTimeout(r, 100));
    const before = statSync(temp.file).size;
    await writeRuns(temp, 40);
    await new Promise((r) => setTimeout(r, 300));
    expect(statSync(temp.file).size).toBe(before);
    expect(statSync(`${temp.file}-wal`).size).toBeGreaterThan(0);
  });

  it("'elsewhere': no checkpoint of its own — past SQLite's 1,000-page threshold too — until a store with the thread opens the file", async () => {
    temp = await createTempSqliteStore({ walCheckpoint: 'elsewhere' });
    await new Promise((r) => setTimeout(r, 100));
    const before = statSync(temp.file).size;
    for (let i = 0; i < 6; i++) await writeRuns(temp, 400);
    await new Promise((r) => setTimeout(r, 300));
    expect(statSync(`${temp.file}-wal`).size).toBeGreaterThan(1000 * 4096); // a 1,000-page automatic checkpoint would have run
    expect(statSync(temp.file).size).toBe(before);
    const checkpointing = createSqliteStore({ file: temp.file, encryptionKey: temp.encryptionKey, backgroundCheckpointMs: 20 });
    try {
      const deadline = Date.now() + 5000;
      while (statSync(temp.file).size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(statSync(temp.file).size).toBeGreaterThan(before);
    } finally {
      await checkpointing.close();
    }
  });

  it('stops with the store: the file reopens and holds every run', async () => {
    temp = await createTempSqliteStore({ backgroundCheckpointMs: 5 });
    await writeRuns(temp, 25);
    const store = await temp.reopen();
    const workspaces = await store.workspaces.listWorkspaces();
    expect(workspaces).toHaveLength(1);
    expect((await store.runs.listRuns(workspaces[0]!.id, { limit: 100 })).items).toHaveLength(25);
  });
});
