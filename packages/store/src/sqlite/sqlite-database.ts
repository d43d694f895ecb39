import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from './driver';
import { ErrorCode, OperationalError, OutrunError, type Clock } from '@outrun/schemas';
import { createGroupCommit, flushOpenBatches } from './group-commit';
import { translateSqliteError } from './sqlite-errors';
import { MIGRATIONS, type Migration } from './migrations';
import { restrictDatabaseFileMode } from './sqlite-file-mode';
import type { WriteTurns } from './write-turns';

type Db = Database.Database;
type Statement = Database.Statement;

/** What every SQLite sub-store shares: the connection, a prepared-statement cache, the clock and change notification. */
export interface SqliteContext {
  db: Db;
  file: string;
  /** Runs a read (or a function returning a write's promise) as a promise, translating SQLite failures. */
  run<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Prepares once per SQL text, then reuses the statement. */
  stmt(sql: string): Statement;
  /**
   * Queues `fn` for this turn's group-commit transaction, runs it there atomically (a savepoint) and resolves
   * once that transaction committed. Writes issued in the same event-loop turn share one `BEGIN IMMEDIATE …
   * COMMIT` (group commit); a throwing `fn` rolls back only its own changes. `fn` runs later, not synchronously.
   */
  write<T>(fn: () => T): Promise<T>;
  /**
   * `write` for a function whose only change is one SQL statement, run after anything in it that can throw: a
   * single statement is atomic in SQLite (a failing one undoes its own changes and leaves the transaction open),
   * so it needs no savepoint of its own. Saves two statements per write on the run and step hot path.
   */
  writeOne<T>(fn: () => T): Promise<T>;
  now(): string;
  maxStepBytes: number;
  /** Wakes in-process change-feed readers now (a data change committed, or the store closes). */
  notifyDataChange(): void;
  /** Called inside a write that logs a data change: this process's feeds wake once its batch commits. */
  markDataChanged(): void;
  /** Resolves on the next in-process data change or after `ms`. */
  waitForDataChange(ms: number, signal?: AbortSignal): Promise<void>;
  closed: boolean;
}

/**
 * Opens the database file, sets WAL + `synchronous=NORMAL` + busy timeout, and applies pending migrations.
 * @throws OperationalError(STORE_CORRUPT) for a file that is not a SQLite database,
 *   OperationalError(STORE_UNAVAILABLE) for one that cannot be opened or was written by a newer Outrun.
 */
export function openSqliteDatabase(file: string, busyTimeoutMs: number): Db {
  let db: Db | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    restrictDatabaseFileMode(file);
    db = new Database(file, { timeout: busyTimeoutMs });
    // Reading the schema is the first access to page 1: a non-database file fails here, not later.
    const isNew = (db.pragma('schema_version', { simple: true }) as number) === 0;
    // Space freed by retention goes back to the file system in small steps (the housekeeper's `incremental_vacuum`),
    // never by a whole-file VACUUM. It can only be chosen before the first table: older files are converted once
    // by `npm run db:compact` (until then they reuse freed pages but do not shrink).
    if (isNew) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a crash of the process loses nothing; a power loss may lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    db.pragma('temp_store = MEMORY');
    // 16 MiB of page cache per connection (default 2 MiB): the hot pages (index right edges, recent runs) stay in
    // memory. Not more: every runner process holds its own cache in RSS, and misses are served by the OS page cache.
    db.pragma('cache_size = -16384');
    // Checkpoint every ~4 MB of WAL (SQLite's default) on this connection. A 40 MB interval gave +10 % store
    // throughput, but each checkpoint then blocked the event loop long enough to lift the webhook p99 at 1,000 req/s
    // from 13 ms to 57 ms. A store with a background checkpointer (`background-checkpoint.ts`) raises this to a
    // backstop. The WAL file is truncated to 64 MB after it restarts.
    db.pragma('wal_autocheckpoint = 1000');
    db.pragma('journal_size_limit = 67108864');
    flushOpenBatches(); // another store of this process holding the write lock would block the migration lock
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    const translated = translateSqliteError(error, file);
    if (translated instanceof OutrunError) throw translated;
    throw new OperationalError(ErrorCode.STORE_UNAVAILABLE, `Cannot open the SQLite database ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function migrate(db: Db): void {
  const apply = db.transaction(() => applyMissingMigrations(db, MIGRATIONS, new Date().toISOString()));
  // IMMEDIATE: two processes starting together serialise here instead of both migrating.
  apply.immediate();
}

/**
 * Applies, in order, every migration whose version is not recorded in `schema_migrations` — not only those above
 * the highest recorded one: a file migrated by a branch to 11 before 8–10 existed still gets 8–10. A file with no
 * recorded versions but a `user_version` (written by a runner that kept only the number) is taken to have applied
 * 1…user_version. `user_version` is set to the highest applied version, so tools that read only it see the schema
 * level. Call inside a write transaction.
 * @throws OperationalError(STORE_UNAVAILABLE) when the file holds a version newer than every known migration.
 * @returns the versions applied now.
 */
export function applyMissingMigrations(db: Db, migrations: readonly Migration[], appliedAt: string): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const recorded = () => new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  let applied = recorded();
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  if (applied.size === 0 && userVersion > 0) {
    for (const m of migrations) if (m.version <= userVersion) record.run(m.version, m.name, appliedAt);
    applied = recorded();
  }
  const latest = migrations.at(-1)?.version ?? 0;
  const newest = Math.max(0, ...applied);
  if (newest > latest) {
    throw new OperationalError(ErrorCode.STORE_UNAVAILABLE, `The database is at schema version ${newest}, newer than this Outrun (${latest}). Upgrade Outrun.`);
  }
  const now: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.exec(m.sql);
    record.run(m.version, m.name, appliedAt);
    now.push(m.version);
  }
  if (userVersion !== latest) db.pragma(`user_version = ${latest}`);
  return now;
}

/** Builds the shared context of an open database. */
export function createSqliteContext(db: Db, file: string, options: { clock: Pick<Clock, 'now'>; maxStepBytes: number; writeTurns?: WriteTurns | undefined; busyTimeoutMs?: number }): SqliteContext & { flush(): void } {
  const statements = new Map<string, Statement>();
  // Only a batch that logged a data change wakes the feeds: waking them on every commit (one per webhook at low
  // rates) cost the listener ~7 % of its CPU in empty change-log reads.
  let dataChanged = false;
  const groupCommit = createGroupCommit(db, file, { turns: options.writeTurns, busyTimeoutMs: options.busyTimeoutMs ?? 5000 }, () => {
    if (!dataChanged) return;
    dataChanged = false;
    ctx.notifyDataChange();
  });
  const waiters = new Set<() => void>();
  const ctx: SqliteContext & { flush(): void } = {
    flush: () => groupCommit.commit(),
    db,
    file,
    closed: false,
    run(fn) {
      try {
        if (ctx.closed) throw new OperationalError(ErrorCode.STORE_UNAVAILABLE, 'The store is closed.');
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(translateSqliteError(error, file));
      }
    },
    maxStepBytes: options.maxStepBytes,
    stmt(sql) {
      if (ctx.closed) throw new OperationalError(ErrorCode.STORE_UNAVAILABLE, 'The store is closed.');
      let s = statements.get(sql);
      if (!s) {
        try {
          s = db.prepare(sql);
        } catch (error) {
          throw translateSqliteError(error, file);
        }
        statements.set(sql, s);
      }
      return s;
    },
    write(fn) {
      if (ctx.closed) return Promise.reject(new OperationalError(ErrorCode.STORE_UNAVAILABLE, 'The store is closed.'));
      return groupCommit.enqueue(fn, true);
    },
    writeOne(fn) {
      if (ctx.closed) return Promise.reject(new OperationalError(ErrorCode.STORE_UNAVAILABLE, 'The store is closed.'));
      return groupCommit.enqueue(fn, false);
    },
    now: () => new Date(options.clock.now()).toISOString(),
    markDataChanged() {
      dataChanged = true;
    },
    notifyDataChange() {
      for (const wake of [...waiters]) wake();
    },
    waitForDataChange(ms, signal) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
  return ctx;
}
