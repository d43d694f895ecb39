import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@outrun/config';
import { ErrorCode, OperationalError } from '@outrun/schemas';
import type { Store } from './ports';
import { parseEncryptionKey } from './shared/encryption-key';

export { newWriteTurnsBuffer } from './sqlite/write-turns';

export interface OpenStoreOptions {
  /** When set, MongoDB is used (MONGO_URI); else the embedded SQLite file. */
  mongoUri?: string | undefined;
  /** Directory of the SQLite file `outrun.db` and of the generated `encryption.key` (OUTRUN_DATA_DIR). */
  dataDir: string;
  /** OUTRUN_ENCRYPTION_KEY (64 hex or base64 of 32 bytes). Required with MongoDB; with SQLite it defaults to `${dataDir}/encryption.key`. */
  encryptionKey?: string | undefined;
  /** Keys of earlier rotations, for decryption only. @default [] */
  oldEncryptionKeys?: string[] | undefined;
  logger?: Logger | undefined;
  /** SQLite: write turns shared with other threads of this process on the same file (`newWriteTurnsBuffer`). */
  sqliteWriteTurns?: SharedArrayBuffer | undefined;
  /** SQLite: `'elsewhere'` when another process or thread on the file checkpoints it (`SqliteStoreOptions.walCheckpoint`). */
  sqliteWalCheckpoint?: 'background' | 'elsewhere' | undefined;
}

/** The SQLite key file: read it, or create it once (mode 0600; `wx` so two processes starting together agree). */
export function readOrCreateKeyFile(dataDir: string): string {
  const file = join(dataDir, 'encryption.key');
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw new OperationalError(ErrorCode.ENCRYPTION_KEY, `Cannot create ${file}: ${(error as Error).message}`, { cause: error });
  }
  const key = readFileSync(file, 'utf8').trim();
  parseEncryptionKey(key);
  return key;
}

/**
 * Opens the configured store: MongoDB when `mongoUri` is set, else SQLite at `${dataDir}/outrun.db`.
 * @throws OperationalError(ENCRYPTION_KEY) for MongoDB without a key; STORE_* errors from the adapters.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const oldEncryptionKeys = options.oldEncryptionKeys ?? [];
  if (options.mongoUri) {
    if (!options.encryptionKey) {
      throw new OperationalError(ErrorCode.ENCRYPTION_KEY, 'OUTRUN_ENCRYPTION_KEY is required with MONGO_URI (64 hex characters; e.g. `openssl rand -hex 32`).');
    }
    // Loaded only when configured: the MongoDB driver adds ≈ 11 MB RSS and start-up time to every SQLite process.
    const { createMongoStore } = await import('./mongo/create-mongo-store');
    const store = await createMongoStore({ uri: options.mongoUri, encryptionKey: options.encryptionKey, oldEncryptionKeys });
    options.logger?.info({ store: 'mongodb' }, 'store opened');
    return store;
  }
  mkdirSync(options.dataDir, { recursive: true });
  const encryptionKey = options.encryptionKey ?? readOrCreateKeyFile(options.dataDir);
  const file = join(options.dataDir, 'outrun.db');
  const { createSqliteStore } = await import('./sqlite/create-sqlite-store'); // and better-sqlite3 only without MongoDB
  const store = createSqliteStore({ file, encryptionKey, oldEncryptionKeys, ...(options.sqliteWriteTurns ? { writeTurns: options.sqliteWriteTurns } : {}), ...(options.sqliteWalCheckpoint ? { walCheckpoint: options.sqliteWalCheckpoint } : {}) });
  options.logger?.info({ store: 'sqlite', file }, 'store opened');
  return store;
}
