import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@outrun/store';
import { createSqliteStore, type SqliteStoreOptions } from '@outrun/store/sqlite';

/** A real SQLite store in a fresh temp dir, for tests. */
export interface TempSqliteStore {
  store: Store;
  /** The database file. */
  file: string;
  dir: string;
  /** The hex encryption key the store was opened with. */
  encryptionKey: string;
  /** Closes the current store and opens the same file again (restart tests). The returned store replaces `store`. */
  reopen(): Promise<Store>;
  /** Closes the store and deletes the temp dir. */
  cleanup(): Promise<void>;
}

/**
 * Creates a SQLite store on a real file under the OS temp dir, with a random 32-byte encryption key.
 * @param options overrides passed to `createSqliteStore` (clock, maxStepBytes, …).
 */
export async function createTempSqliteStore(options: Partial<Omit<SqliteStoreOptions, 'file'>> = {}): Promise<TempSqliteStore> {
  const dir = await mkdtemp(join(tmpdir(), 'outrun-store-'));
  const file = join(dir, 'outrun.db');
  const encryptionKey = randomBytes(32).toString('hex');
  const open = () => createSqliteStore({ encryptionKey, ...options, file });
  const temp: TempSqliteStore = {
    store: open(),
    file,
    dir,
    encryptionKey,
    async reopen() {
      await temp.store.close();
      temp.store = open();
      return temp.store;
    },
    async cleanup() {
      await temp.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return temp;
}
