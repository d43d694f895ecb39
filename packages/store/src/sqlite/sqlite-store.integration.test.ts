import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../contract';
import { currentPosition, takeChanges } from '../contract/contract-data';
import { compactSqliteFile } from './compact-sqlite-file';
import { createSqliteStore } from './create-sqlite-store';
import { MIGRATIONS } from './migrations';

describeStoreContract('sqlite', async () => {
  const temp = await createTempSqliteStore();
  const fileBytes = async (path: string) => (existsSync(path) ? readFile(path) : Buffer.alloc(0));
  return {
    get store() {
      return temp.store;
    },
    reopen: () => temp.reopen(),
    rawBytes: async () => Buffer.concat([await fileBytes(temp.file), await fileBytes(`${temp.file}-wal`)]),
    cleanup: () => temp.cleanup(),
  };
});

describe('sqlite store: files and processes', () => {
  let dir: string;
  const key = randomBytes(32).toString('hex');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outrun-sqlite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails at open with STORE_CORRUPT for a file that is not a database', async () => {
    const file = join(dir, 'corrupt.db');
    await writeFile(file, Buffer.concat([Buffer.from('definitely not sqlite '), randomBytes(8192)]));
    expect(() => createSqliteStore({ file, encryptionKey: key })).toThrow(expect.objectContaining({ code: 'OUT_ERR_STORE_CORRUPT', kind: 'operational' }) as Error);
  });

  it('fails at open with STORE_UNAVAILABLE when the path cannot be opened', () => {
    const file = join(dir, 'a-directory.db');
    expect(() => createSqliteStore({ file: dir, encryptionKey: key })).toThrow(expect.objectContaining({ code: 'OUT_ERR_STORE_UNAVAILABLE' }) as Error);
    expect(existsSync(file)).toBe(false);
  });

  it('rejects a bad encryption key before touching the file', () => {
    expect(() => createSqliteStore({ file: join(dir, 'k.db'), encryptionKey: 'short' })).toThrow(expect.objectContaining({ code: 'OUT_ERR_ENCRYPTION_KEY' }) as Error);
  });

  it('creates the database, its WAL and shared-memory files owner-only (0600) whatever the umask, and narrows old 0644 files', async () => {
    const file = join(dir, 'modes', 'outrun.db');
    const previous = process.umask(0o022);
    try {
      const store = createSqliteStore({ file, encryptionKey: key });
      await store.workspaces.createWorkspace({ name: 'modes' });
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect((statSync(path).mode & 0o777).toString(8), path).toBe('600');
      await store.close();
      chmodSync(file, 0o644);
      const reopened = createSqliteStore({ file, encryptionKey: key });
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      await reopened.close();
    } finally {
      process.umask(previous);
    }
  });

  it('opens in WAL mode with migrations recorded; a second opener sees the same data', async () => {
    const file = join(dir, 'shared.db');
    const one = createSqliteStore({ file, encryptionKey: key });
    const two = createSqliteStore({ file, encryptionKey: key });
    try {
      const ws = await one.workspaces.createWorkspace({ name: 'A' });
      expect(await two.workspaces.getWorkspace(ws.id)).toEqual(ws);
      // interleaved writers on two connections of one process never wait on each other's open batch
      const key = await one.workspaces.createApiKey(ws.id);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => [
          (i % 2 === 0 ? one : two).triggers.incrementTriggerStat(ws.id, 't', 'fires'),
          (i % 2 === 0 ? two : one).workspaces.verifyApiKey(key.apiKey),
        ]).flat(),
      );
      expect((await one.triggers.getTriggerStats(ws.id, 't')).fires).toBe(40);
      const Database = (await import('./driver')).default;
      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('SELECT version FROM schema_migrations').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      expect(raw.pragma('auto_vacuum', { simple: true })).toBe(2); // INCREMENTAL: retention gives pages back
      raw.close();
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('a feed on one connection sees changes written by another (change-log polling)', async () => {
    const file = join(dir, 'feed.db');
    const writer = createSqliteStore({ file, encryptionKey: key });
    const reader = createSqliteStore({ file, encryptionKey: key });
    try {
      const after = await currentPosition(reader);
      const feed = takeChanges(reader, { after, workspaceId: 'ws' }, 2);
      await writer.data.insert('ws', 'c', { n: 1 });
      await writer.data.insert('ws', 'c', { n: 2 });
      expect((await feed).map((e) => e.document?.n)).toEqual([1, 2]);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('group commit: a failing write in a batch rolls back only itself; the others are durable', async () => {
    const temp = await createTempSqliteStore();
    await temp.store.data.insert('ws', 'c', { n: 0 }, { id: 'taken' });
    const results = await Promise.allSettled([
      temp.store.data.insert('ws', 'c', { n: 1 }, { id: 'a' }),
      temp.store.data.insert('ws', 'c', { n: 2 }, { id: 'taken' }),
      temp.store.data.insert('ws', 'c', { n: 3 }, { id: 'b' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reopened = await temp.reopen();
    expect((await reopened.data.find('ws', 'c')).items.map((d) => [d.id, d.data.n]).sort()).toEqual([
      ['a', 1],
      ['b', 3],
      ['taken', 0],
    ]);
    await temp.cleanup();
  });

  it('prunes the change log past its retention; resuming from a pruned position is HISTORY_LOST, not a silent skip', async () => {
    let now = Date.UTC(2026, 0, 1);
    const temp = await createTempSqliteStore({ clock: { now: () => now }, changeLogRetentionMs: 86_400_000 });
    const after = await currentPosition(temp.store);
    await temp.store.data.insert('ws', 'c', { n: 1 });
    now += 2 * 86_400_000;
    await temp.store.data.insert('ws', 'c', { n: 2 });
    const reopened = await temp.reopen(); // pruning runs at open
    await expect(takeChanges(reopened, { after, workspaceId: 'ws' }, 1)).rejects.toMatchObject({ code: 'OUT_ERR_CHANGE_STREAM_HISTORY_LOST' });
    const fromNow = await currentPosition(reopened);
    const next = takeChanges(reopened, { after: fromNow, workspaceId: 'ws' }, 1);
    await reopened.data.insert('ws', 'c', { n: 3 });
    expect((await next).map((e) => e.document?.n)).toEqual([3]);
    await temp.cleanup();
  });

  it('a closed store rejects calls with STORE_UNAVAILABLE', async () => {
    const { store, cleanup } = await createTempSqliteStore();
    await store.close();
    await expect(store.workspaces.listWorkspaces()).rejects.toMatchObject({ code: 'OUT_ERR_STORE_UNAVAILABLE' });
    await cleanup();
  });

  it('gives the pages of deleted runs back to the file system (auto_vacuum=INCREMENTAL + incremental_vacuum)', async () => {
    const file = join(dir, 'vacuum.db');
    const store = createSqliteStore({ file, encryptionKey: key, backgroundCheckpointMs: 0 });
    try {
      const ws = await store.workspaces.createWorkspace({ name: 'A' });
      const wf = await store.workflows.createWorkflow(ws.id, { name: 'w', nodes: [], edges: [], triggers: [], settings: {} } as never);
      const big = 'x'.repeat(20_000);
      await Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          const { run } = await store.runs.createRun(ws.id, { workflowId: wf.id, workflowVersion: 1, triggeredBy: { type: 'manual', source: 'api', payload: { i } } });
          await store.runs.recordStepFinish(ws.id, run.id, { nodeId: 'a', nodeType: 'noop', status: 'completed', attempt: 1, finishedAt: '2026-01-01T00:00:00.000Z', duration: 1, output: { big } });
          await store.runs.finishRun(ws.id, run.id, { status: 'completed', at: '2026-01-01T00:00:00.000Z' });
        }),
      );
      const Database = (await import('./driver')).default;
      const pages = () => {
        const raw = new Database(file, { readonly: true });
        try {
          return raw.pragma('page_count', { simple: true }) as number;
        } finally {
          raw.close();
        }
      };
      const full = pages();
      expect(await store.runs.deleteRunsFinishedBefore(ws.id, '2027-01-01T00:00:00.000Z')).toBe(300);
      let freed = 0;
      for (let step = await store.housekeeping.reclaimSpace(100); step.freedPages > 0; step = await store.housekeeping.reclaimSpace(100)) freed += step.freedPages;
      expect(freed).toBeGreaterThan(1000); // ≥ 4 MB of the ~6 MB of step outputs
      expect(pages()).toBeLessThan(full - 1000);
    } finally {
      await store.close();
    }
  });

  it('converts a file created before incremental auto-vacuum once (db:compact), keeping its data', async () => {
    const file = join(dir, 'old.db');
    const Database = (await import('./driver')).default;
    const old = new Database(file);
    old.exec('CREATE TABLE placeholder (x)'); // a table first: auto_vacuum can no longer be chosen at open
    old.close();
    let store = createSqliteStore({ file, encryptionKey: key, backgroundCheckpointMs: 0 });
    const ws = await store.workspaces.createWorkspace({ name: 'kept' });
    await store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('auto_vacuum', { simple: true })).toBe(0);
    raw.close();
    expect(compactSqliteFile(file)).toMatchObject({ converted: true });
    expect(compactSqliteFile(file)).toMatchObject({ converted: false });
    store = createSqliteStore({ file, encryptionKey: key, backgroundCheckpointMs: 0 });
    try {
      expect(await store.workspaces.getWorkspace(ws.id)).toEqual(ws);
      expect((await store.housekeeping.reclaimSpace(10)).freedPages).toBeGreaterThanOrEqual(0);
    } finally {
      await store.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.pragma('auto_vacuum', { simple: true })).toBe(2);
    after.close();
  });

  it('ends a run page at maxBytes without reading further rows, with a cursor to the rest', async () => {
    const { store, cleanup } = await createTempSqliteStore();
    try {
      const ws = await store.workspaces.createWorkspace({ name: 'A' });
      for (let i = 0; i < 5; i++) {
        await store.runs.createRun(ws.id, { workflowId: 'wf', workflowVersion: 1, triggeredBy: { type: 'manual', source: 'api', payload: { i, blob: 'b'.repeat(100_000) } } });
      }
      const first = await store.runs.listRuns(ws.id, { limit: 500, maxBytes: 250_000 });
      expect(first.items).toHaveLength(2);
      const rest = await store.runs.listRuns(ws.id, { limit: 500, maxBytes: 250_000, cursor: first.nextCursor! });
      const last = await store.runs.listRuns(ws.id, { limit: 500, maxBytes: 250_000, cursor: rest.nextCursor! });
      // every run exactly once (runs created in one millisecond have no defined order among themselves)
      expect([...first.items, ...rest.items, ...last.items].map((r) => (r.triggeredBy.payload as { i: number }).i).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(last.nextCursor).toBeNull();
      expect((await store.runs.listRuns(ws.id, { limit: 500, maxBytes: 10 })).items).toHaveLength(1); // always one
      expect((await store.runs.listRuns(ws.id, { limit: 500 })).items).toHaveLength(5);
    } finally {
      await cleanup();
    }
  });
});
