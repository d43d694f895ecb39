import { systemClock, type Clock } from '@outrun/schemas';
import type { Store } from '../ports';
import { createCredentialCipher } from '../shared/credential-cipher';
import type { EncryptionKeyInput } from '../shared/encryption-key';
import { DEFAULT_MAX_STEP_BYTES } from '../shared/truncate';
import { DEFAULT_CHANGE_LOG_RETENTION_MS, schedulePruning } from './sqlite-change-log';
import { startBackgroundCheckpoint } from './background-checkpoint';
import { createSqliteContext, openSqliteDatabase } from './sqlite-database';
import { createSqliteAiSettingsStore } from './sqlite-ai-settings-store';
import { createSqliteAccountStore } from './sqlite-account-store';
import { createSqliteCredentialStore } from './sqlite-credential-store';
import { createSqliteDataStore } from './sqlite-data-store';
import { createSqliteHousekeeping } from './sqlite-housekeeping';
import { createSqliteRunStore } from './sqlite-run-store';
import { createSqliteTriggerStore } from './sqlite-trigger-store';
import { createSqliteWorkflowStore } from './sqlite-workflow-store';
import { createSqliteWorkspaceStore } from './sqlite-workspace-store';
import { createWriteTurns } from './write-turns';

export interface SqliteStoreOptions {
  /** Database file path (its directory is created), or `:memory:` (tests only: no other process can see it). */
  file: string;
  /** AES-256 key of credentials: 32 bytes, or 64 hex characters, or base64. */
  encryptionKey: EncryptionKeyInput;
  /** Keys of earlier rotations, accepted for decryption only. @default [] */
  oldEncryptionKeys?: EncryptionKeyInput[];
  /** Largest stored step input/output (and run output), in bytes of JSON; larger ones become a TruncatedValue. @default 262144 */
  maxStepBytes?: number;
  /** Source of `createdAt`/`queuedAt`/… timestamps (the one `Clock`, only `now` is read). @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /** How long a write waits for another process's lock before failing with STORE_UNAVAILABLE. @default 5000 */
  busyTimeoutMs?: number;
  /**
   * Data change-log rows older than this are pruned (at open, then hourly); a feed resuming from a pruned position
   * fails with CHANGE_STREAM_HISTORY_LOST. @default 604800000 (7 days)
   */
  changeLogRetentionMs?: number;
  /** Receives background failures (change-log pruning, WAL checkpoints). @default ignored */
  onBackgroundError?: (error: unknown) => void;
  /**
   * Checkpoint the WAL from a worker thread every this many ms instead of inside commits on the event loop
   * (`background-checkpoint.ts`); 0 leaves it to SQLite's automatic checkpoint. Ignored for `:memory:`. @default 100
   */
  backgroundCheckpointMs?: number;
  /**
   * `'elsewhere'`: another process or thread on the same file runs the background checkpoint (a scaled-out runner
   * beside the listener and api; the runner thread beside `npm start`'s main thread). This store then starts no
   * checkpoint thread (≈ 10 MB of RSS each) and its commits checkpoint only as the backstop, once the WAL passes
   * ~32 MB. @default 'background'
   */
  walCheckpoint?: 'background' | 'elsewhere';
  /**
   * Shared with the other threads of this process that open the same file (`newWriteTurnsBuffer()`): their group
   * commits take the write lock in turn instead of racing SQLite's sleeping busy handler (`write-turns.ts`).
   */
  writeTurns?: SharedArrayBuffer | undefined;
}

/** With a background checkpointer (here or elsewhere), the in-commit automatic checkpoint only backs it up (pages of WAL, ~32 MB). */
const BACKSTOP_AUTOCHECKPOINT_PAGES = 8000;

/**
 * Opens (creating and migrating if needed) the embedded SQLite store. Synchronous: a corrupt or unreadable file
 * fails here with OperationalError(STORE_CORRUPT | STORE_UNAVAILABLE), never later.
 * Several processes on one host may open the same file (WAL mode; writes take the lock with BEGIN IMMEDIATE).
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const cipher = createCredentialCipher(options.encryptionKey, options.oldEncryptionKeys ?? []);
  const db = openSqliteDatabase(options.file, options.busyTimeoutMs ?? 5000);
  const writeTurns = options.writeTurns ? createWriteTurns(options.writeTurns, options.busyTimeoutMs ?? 5000) : undefined;
  const ctx = createSqliteContext(db, options.file, { clock: options.clock ?? systemClock, maxStepBytes: options.maxStepBytes ?? DEFAULT_MAX_STEP_BYTES, writeTurns, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
  const onBackgroundError = options.onBackgroundError ?? (() => undefined);
  const stopPruning = schedulePruning(ctx, options.changeLogRetentionMs ?? DEFAULT_CHANGE_LOG_RETENTION_MS, onBackgroundError);
  const checkpointElsewhere = options.walCheckpoint === 'elsewhere';
  const checkpointMs = options.file === ':memory:' || checkpointElsewhere ? 0 : (options.backgroundCheckpointMs ?? 100);
  const checkpointer = checkpointMs > 0 ? startBackgroundCheckpoint(options.file, { intervalMs: checkpointMs, onError: onBackgroundError }) : undefined;
  if (checkpointer || checkpointElsewhere) db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  ctx.flush(); // the start-up prune (if any) is committed before the store is used: feeds see its HISTORY_LOST marker
  return {
    workspaces: createSqliteWorkspaceStore(ctx),
    workflows: createSqliteWorkflowStore(ctx),
    runs: createSqliteRunStore(ctx),
    triggers: createSqliteTriggerStore(ctx),
    data: createSqliteDataStore(ctx),
    credentials: createSqliteCredentialStore(ctx, cipher),
    aiSettings: createSqliteAiSettingsStore(ctx),
    housekeeping: createSqliteHousekeeping(ctx),
    accounts: createSqliteAccountStore(ctx),
    ping: () =>
      ctx.run(() => {
        ctx.stmt('SELECT 1').get();
      }),
    close: async () => {
      if (ctx.closed) return;
      stopPruning();
      await checkpointer?.stop();
      ctx.flush(); // commit the pending group-commit batch
      ctx.closed = true;
      ctx.notifyDataChange(); // ends waiting change feeds
      db.close();
    },
  };
}
