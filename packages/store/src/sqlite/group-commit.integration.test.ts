import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from './driver';
import { systemClock } from '@outrun/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteContext } from './sqlite-database';

describe('group commit: write (savepoint) and writeOne (one atomic statement) in one batch', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outrun-group-commit-'));
    db = new Database(join(dir, 'g.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    db.exec("INSERT INTO t VALUES (1, 'taken')");
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const rows = () => db.prepare('SELECT id, v FROM t ORDER BY id').all();

  it('a failing writeOne statement undoes all of its own rows and nothing else of the batch', async () => {
    const ctx = createSqliteContext(db, join(dir, 'g.db'), { clock: systemClock, maxStepBytes: 1000 });
    const results = await Promise.allSettled([
      ctx.write(() => ctx.stmt("INSERT INTO t VALUES (2, 'a')").run().changes),
      // One statement inserting two rows, the second a duplicate: SQLite backs out the first row too.
      ctx.writeOne(() => ctx.stmt("INSERT INTO t VALUES (3, 'half'), (1, 'dup')").run().changes),
      ctx.writeOne(() => ctx.stmt("INSERT INTO t VALUES (4, 'b')").run().changes),
      ctx.write(() => {
        ctx.stmt("INSERT INTO t VALUES (5, 'rolled back')").run();
        throw new Error('after its first statement');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(rows()).toEqual([
      { id: 1, v: 'taken' },
      { id: 2, v: 'a' },
      { id: 4, v: 'b' },
    ]);
  });

  it('writeOne runs no savepoint statements; write runs two', async () => {
    const ctx = createSqliteContext(db, join(dir, 'g.db'), { clock: systemClock, maxStepBytes: 1000 });
    // Probed from inside: RELEASE of the group commit's savepoint name fails when no such savepoint is open.
    const inside = await Promise.all([
      ctx.writeOne(() => {
        ctx.stmt("INSERT INTO t VALUES (6, 'one')").run();
        try {
          db.prepare('RELEASE w').run();
          return 'savepoint open';
        } catch {
          return 'no savepoint';
        }
      }),
      ctx.write(() => {
        ctx.stmt("INSERT INTO t VALUES (7, 'two')").run();
        return 'written';
      }),
    ]);
    expect(inside).toEqual(['no savepoint', 'written']);
    expect(rows()).toHaveLength(3);
  });

  it('waits for a write lock held elsewhere without blocking the event loop, then commits', async () => {
    const ctx = createSqliteContext(db, join(dir, 'g.db'), { clock: systemClock, maxStepBytes: 1000, busyTimeoutMs: 5000 });
    const other = new Database(join(dir, 'g.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    other.prepare("INSERT INTO t VALUES (8, 'other')").run();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const started = Date.now();
    // The other connection lets go from a timer of this same event loop: SQLite's sleeping busy handler would hold
    // the loop inside BEGIN until its 5 s timeout, so this timer could not fire and the write would fail.
    setTimeout(() => other.prepare('COMMIT').run(), 300);
    const first = ctx.write(() => ctx.stmt("INSERT INTO t VALUES (9, 'mine')").run().changes);
    await new Promise((r) => setTimeout(r, 100));
    const joined = ctx.writeOne(() => ctx.stmt("INSERT INTO t VALUES (10, 'joined while waiting')").run().changes);
    expect(await Promise.all([first, joined])).toEqual([1, 1]);
    clearInterval(ticker);
    other.close();
    expect(Date.now() - started).toBeLessThan(4000); // waiting in SQLite would take its 5 s timeout, then fail
    expect(ticks).toBeGreaterThan(5); // the loop ran while the write waited for the lock (blocked: none)
    expect(rows().map((r) => (r as { id: number }).id)).toEqual([1, 8, 9, 10]);
  });

  it('a synchronous flush waits in SQLite for the lock (before a migration or a close)', async () => {
    db.exec('PRAGMA busy_timeout = 200'); // as openSqliteDatabase opens it with the store's busyTimeoutMs
    const ctx = createSqliteContext(db, join(dir, 'g.db'), { clock: systemClock, maxStepBytes: 1000, busyTimeoutMs: 200 });
    const other = new Database(join(dir, 'g.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    const write = ctx.write(() => ctx.stmt("INSERT INTO t VALUES (11, 'flushed')").run().changes);
    const settled = write.then(
      () => 'committed',
      (error: { code?: string }) => error.code,
    );
    ctx.flush(); // blocks up to busyTimeoutMs in SQLite, then gives up: the lock is still held
    other.prepare('ROLLBACK').run();
    other.close();
    expect(await settled).toBe('OUT_ERR_STORE_UNAVAILABLE');
  });
});
