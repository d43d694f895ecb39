/**
 * @outrun/store/sqlite — the embedded store: one SQLite file (better-sqlite3), WAL mode, versioned migrations.
 */
export { createSqliteStore, type SqliteStoreOptions } from './create-sqlite-store';
export { CHANGE_POLL_MS } from './sqlite-data-store';
export { DEFAULT_CHANGE_LOG_RETENTION_MS } from './sqlite-change-log';
export { compactSqliteFile, type CompactResult } from './compact-sqlite-file';
export { default as SqliteDriver } from './driver';
