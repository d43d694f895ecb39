import { MongoClient } from 'mongodb';
import { systemClock, type Clock } from '@outrun/schemas';
import type { Store } from '../ports';
import { createCredentialCipher } from '../shared/credential-cipher';
import type { EncryptionKeyInput } from '../shared/encryption-key';
import { DEFAULT_MAX_STEP_BYTES } from '../shared/truncate';
import { createMongoAccountStore, ensureAccountIndexes } from './mongo-account-store';
import { createMongoContext, translated, translateMongoError } from './mongo-context';
import { createMongoAiSettingsStore } from './mongo-ai-settings-store';
import { createMongoCredentialStore } from './mongo-credential-store';
import { createMongoDataStore } from './mongo-data-store';
import { createMongoHousekeeping } from './mongo-housekeeping';
import { backfillMongoRunBuckets } from './mongo-run-buckets';
import { createMongoRunStore } from './mongo-run-store';
import { createMongoTriggerStore } from './mongo-trigger-store';
import { createMongoWorkflowStore } from './mongo-workflow-store';
import { createMongoWorkflowSummaries } from './mongo-workflow-summaries';
import { createMongoWorkspaceStore } from './mongo-workspace-store';

const DEFAULT_DB_NAME = 'outrun';

/** The database the URI names (its path), else ''; the driver's own fallback is "test", never ours. */
export function databaseOfUri(uri: string): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/.exec(uri)?.[1] ?? '';
  return decodeURIComponent(path);
}

export interface MongoStoreOptions {
  /** e.g. `mongodb://localhost:27017/outrun?replicaSet=rs0` (a replica set is needed for the data change feed). */
  uri: string;
  /** @default the database of the URI, else "outrun" */
  dbName?: string;
  /** AES-256 key of credentials: 32 bytes, or 64 hex characters, or base64. */
  encryptionKey: EncryptionKeyInput;
  /** Keys of earlier rotations, accepted for decryption only. @default [] */
  oldEncryptionKeys?: EncryptionKeyInput[];
  /** Largest stored step input/output in bytes of JSON. @default 262144 */
  maxStepBytes?: number;
  /** Source of `createdAt`/`queuedAt`/… timestamps (the one `Clock`, only `now` is read). @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /** How long to wait for a server at start-up. @default 10000 */
  serverSelectionTimeoutMs?: number;
}

/**
 * Connects to MongoDB, creates indexes, and returns the store.
 * @throws OperationalError(STORE_UNAVAILABLE) when no server answers; OperationalError(ENCRYPTION_KEY) for a bad key.
 */
export async function createMongoStore(options: MongoStoreOptions): Promise<Store> {
  const cipher = createCredentialCipher(options.encryptionKey, options.oldEncryptionKeys ?? []);
  const client = new MongoClient(options.uri, { ignoreUndefined: true, serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000 });
  try {
    await client.connect();
    const db = client.db(options.dbName ?? (databaseOfUri(options.uri) || DEFAULT_DB_NAME));
    const ctx = await createMongoContext(client, db, { clock: options.clock ?? systemClock, maxStepBytes: options.maxStepBytes ?? DEFAULT_MAX_STEP_BYTES });
    await backfillMongoRunBuckets(ctx);
    await ensureAccountIndexes(db);
    return {
      workspaces: translated(createMongoWorkspaceStore(ctx)),
      workflows: translated({ ...createMongoWorkflowStore(ctx), ...createMongoWorkflowSummaries(ctx) }),
      runs: translated(createMongoRunStore(ctx)),
      triggers: translated(createMongoTriggerStore(ctx)),
      data: translated(createMongoDataStore(ctx)),
      credentials: translated(createMongoCredentialStore(ctx, cipher)),
      aiSettings: translated(createMongoAiSettingsStore(ctx)),
      housekeeping: translated(createMongoHousekeeping(ctx)),
      accounts: translated(createMongoAccountStore(ctx)),
      ping: async () => {
        await db.command({ ping: 1 }).catch((error: unknown) => Promise.reject(translateMongoError(error)));
      },
      close: () => client.close(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw translateMongoError(error);
  }
}
