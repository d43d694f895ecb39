import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from './driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './create-sqlite-store';
import { MIGRATIONS } from './migrations';

const INSERT = `INSERT INTO runs (workspace_id, id, workflow_id, workflow_version, status, trigger_type, triggered_by, queued_at, finished_at, started_at, duration_ms)
  VALUES ('ws', ?, 'wf', 1, ?, 'manual', '{"type":"manual"}', ?, ?, ?, ?)`;

// Migration 11 moves a run's bucket count from its insert to its finish: a file written before it (unfinished runs
// already counted in `total`) must give the same statistics after it, and after its runs finish.
describe('sqlite run buckets: migration 11', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'throughput-buckets-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps whole-workspace totals exact across the migration, then counts runs as they finish', async () => {
    const file = join(dir, 'pre-11.db');
    const old = new Database(file);
    for (const m of MIGRATIONS.filter((m) => m.version < 11)) old.exec(m.sql);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.version < 11)) old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
    const day = new Date().toISOString().slice(0, 10);
    const at = `${day}T00:00:00.000Z`;
    old.prepare(INSERT).run('done', 'completed', at, `${day}T00:00:01.000Z`, at, 1000);
    old.prepare(INSERT).run('queued', 'queued', at, null, null, null);
    old.prepare(INSERT).run('running', 'running', at, null, at, null);
    expect(old.prepare('SELECT total, completed FROM run_daily_stats').get()).toEqual({ total: 3, completed: 1 });
    old.close();

    const store = createSqliteStore({ file, encryptionKey: randomBytes(32).toString('hex'), backgroundCheckpointMs: 0 });
    try {
      const now = new Date();
      const before = await store.runs.getRunStats('ws', { days: 2, now });
      expect(before).toMatchObject({ totalRuns: 3, successfulRuns: 1 });
      expect(before.perDay.at(-1)).toMatchObject({ date: day, total: 3, completed: 1 });
      await store.runs.finishRun('ws', 'running', { status: 'failed', at: `${day}T00:00:02.000Z` });
      await store.runs.cancelRun('ws', 'queued', `${day}T00:00:03.000Z`);
      const after = await store.runs.getRunStats('ws', { days: 2, now });
      expect(after).toMatchObject({ totalRuns: 3, successfulRuns: 1, failedRuns: 1, cancelledRuns: 1 });
      expect(after.perDay.at(-1)).toMatchObject({ total: 3, completed: 1, failed: 1, cancelled: 1 });
    } finally {
      await store.close();
    }
  });

  // Migration 12: test runs leave the buckets. A file whose buckets counted test runs is corrected on open.
  it('migration 12 takes the stored test runs back out of the buckets, and later test runs are not counted', async () => {
    const file = join(dir, 'pre-12.db');
    const old = new Database(file);
    for (const m of MIGRATIONS.filter((m) => m.version < 12)) old.exec(m.sql);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.version < 12)) old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
    const day = new Date().toISOString().slice(0, 10);
    const at = `${day}T00:00:00.000Z`;
    const insert = old.prepare(`INSERT INTO runs (workspace_id, id, workflow_id, workflow_version, status, trigger_type, triggered_by, queued_at, finished_at, started_at, duration_ms, usage)
      VALUES ('ws', ?, 'wf', 1, ?, 'manual', ?, ?, ?, ?, ?, ?)`);
    const usage = JSON.stringify({ aiTokensUsed: 30, estimatedCost: 3, unpricedCalls: 2, unpricedTokens: 9 });
    insert.run('prod', 'completed', '{"type":"manual"}', at, `${day}T00:00:00.100Z`, at, 100, JSON.stringify({ aiTokensUsed: 5 }));
    insert.run('test-1', 'failed', '{"type":"manual","test":{}}', at, `${day}T00:00:40.000Z`, at, 40_000, usage);
    insert.run('test-2', 'completed', '{"type":"manual","test":{"step":"b"}}', at, `${day}T00:00:50.000Z`, at, 50_000, usage);
    insert.run('test-open', 'running', '{"type":"manual","test":{}}', at, null, at, null, null);
    expect(old.prepare('SELECT total, completed, failed, tokens, ucalls FROM run_daily_stats').get()).toEqual({ total: 3, completed: 2, failed: 1, tokens: 65, ucalls: 4 });
    old.close();

    const store = createSqliteStore({ file, encryptionKey: randomBytes(32).toString('hex'), backgroundCheckpointMs: 0 });
    try {
      const now = new Date();
      const expected = { totalRuns: 1, successfulRuns: 1, failedRuns: 0, aiTokensUsed: 5, unpricedCalls: 0, unpricedTokens: 0, estimatedCost: 0 };
      const stats = await store.runs.getRunStats('ws', { days: 2, now });
      expect(stats).toMatchObject(expected);
      expect(stats.p95ExecutionTime).toBeLessThanOrEqual(105); // the test runs' 40–50 s are out of the duration bins
      await store.runs.finishRun('ws', 'test-open', { status: 'completed', at: `${day}T00:00:02.000Z` });
      expect(await store.runs.getRunStats('ws', { days: 2, now })).toMatchObject(expected);
    } finally {
      await store.close();
    }
  });
});
