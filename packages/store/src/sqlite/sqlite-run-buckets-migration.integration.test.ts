import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
});
