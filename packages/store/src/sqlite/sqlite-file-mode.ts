import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

/** Owner read/write only: the database holds sealed credentials, API-key hashes, every run's data. */
export const DATABASE_FILE_MODE = 0o600;

/**
 * Creates the database file owner-only (whatever the umask), and narrows an existing one and its `-wal`/`-shm`
 * companions from older versions. SQLite creates the WAL and shared-memory files with the main file's mode, so
 * once the main file is 0600 they are too.
 */
export function restrictDatabaseFileMode(file: string): void {
  if (file === ':memory:' || file === '') return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', DATABASE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, DATABASE_FILE_MODE);
  }
}
