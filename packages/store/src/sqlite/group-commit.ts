import type Database from './driver';
import { translateSqliteError } from './sqlite-errors';
import type { WriteTurns } from './write-turns';

interface Pending {
  fn: () => unknown;
  /** False for `writeOne`: one statement, atomic on its own. */
  savepoint: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Open group-commit batches of every connection of this process: one is committed before another begins. */
const openBatches = new Set<() => void>();

/** Commits every open batch of this process (before anything else takes the write lock synchronously). */
export function flushOpenBatches(): void {
  for (const commit of [...openBatches]) commit();
}

/** Longest pause between two tries for a write lock another process holds (the event loop runs meanwhile). */
const MAX_RETRY_MS = 8;

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};

/**
 * Group commit: the writes of an event-loop turn are queued, and a `setImmediate` runs them all in one
 * `BEGIN IMMEDIATE … COMMIT` (each in a savepoint — or, for `writeOne`, its one atomic statement — so a throwing
 * write rolls back only its own changes) and then settles their promises. One commit per turn instead of one per
 * write, and the write lock is held only while the SQL runs — not for the rest of the turn (engine code, network
 * callbacks). A caller's promise resolves only after its data is committed; writes of one connection apply in call
 * order.
 *
 * When another process holds the write lock, SQLite's busy handler would sleep inside `BEGIN` — blocking this
 * process's event loop for 1, 2, 5, 10, 25 ms at a time, so several runners and the listener on one file spent their
 * turns asleep. A batch started from the event loop tries `BEGIN` without waiting instead and, while the lock is
 * taken, tries again after a timer (1, 2, 4, 8 ms…), the loop running meanwhile and new writes joining the batch;
 * past `busyTimeoutMs` it falls back to SQLite's waiting `BEGIN` (and fails as before if that times out too).
 * A synchronous flush (before a migration or a close) waits in SQLite as before.
 */
export function createGroupCommit(db: Database.Database, file: string, options: { turns?: WriteTurns | undefined; busyTimeoutMs: number }, afterCommit: () => void) {
  const { turns, busyTimeoutMs } = options;
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commitStmt = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT w');
  const release = db.prepare('RELEASE w');
  const rollbackTo = db.prepare('ROLLBACK TO w');
  // `exec`, not prepared statements: SQLite applies `busy_timeout` while preparing the pragma, not when it is run.
  const waitSql = `PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`;
  let queue: Pending[] | null = null;
  /** While the lock is taken by another process: when the first try failed, and the pause before the next. */
  let busySince: number | null = null;
  let retryMs = 1;
  let retryTimer: NodeJS.Timeout | null = null;

  /** Runs one write in its savepoint; returns how to settle its promise once the transaction committed. */
  const attempt = (w: Pending): (() => void) => {
    if (!w.savepoint) {
      try {
        const value = w.fn();
        return () => w.resolve(value);
      } catch (error) {
        // An I/O or full-disk error can end the whole transaction: then the batch fails as one.
        if (!db.inTransaction) throw error;
        const translated = translateSqliteError(error, file);
        return () => w.reject(translated);
      }
    }
    savepoint.run();
    try {
      const value = w.fn();
      release.run();
      return () => w.resolve(value);
    } catch (error) {
      rollbackTo.run();
      release.run();
      const translated = translateSqliteError(error, file);
      return () => w.reject(translated);
    }
  };

  /** `BEGIN IMMEDIATE`, without SQLite's sleeping busy handler when `waitInSqlite` is false. */
  const beginTransaction = (waitInSqlite: boolean): void => {
    if (waitInSqlite) return void begin.run();
    db.exec('PRAGMA busy_timeout = 0');
    try {
      begin.run();
    } finally {
      db.exec(waitSql);
    }
  };

  const commitBatch = (fromLoop: boolean): void => {
    const batch = queue;
    if (!batch) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const waitInSqlite = !fromLoop || (busySince !== null && Date.now() - busySince >= busyTimeoutMs);
    let settle: Array<() => void>;
    turns?.acquire();
    try {
      try {
        beginTransaction(waitInSqlite);
      } catch (error) {
        if (waitInSqlite || !isBusy(error)) throw error;
        // Taken by another process: keep the batch (later writes join it) and try again from a timer.
        busySince ??= Date.now();
        retryTimer = setTimeout(() => commitBatch(true), retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        return;
      }
      queue = null;
      openBatches.delete(commit);
      busySince = null;
      retryMs = 1;
      settle = batch.map(attempt);
      commitStmt.run();
    } catch (error) {
      queue = null;
      openBatches.delete(commit);
      busySince = null;
      retryMs = 1;
      if (db.inTransaction) rollback.run();
      const translated = translateSqliteError(error, file);
      for (const w of batch) w.reject(translated);
      return;
    } finally {
      turns?.release();
    }
    for (const done of settle) done();
    afterCommit();
  };
  /** The synchronous flush: waits in SQLite for the lock. */
  const commit = (): void => commitBatch(false);

  return {
    commit,
    enqueue<T>(fn: () => T, savepoint: boolean): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (!queue) {
          queue = [];
          openBatches.add(commit);
          setImmediate(() => commitBatch(true));
        }
        queue.push({ fn, savepoint, resolve: resolve as (value: unknown) => void, reject });
      });
    },
  };
}
