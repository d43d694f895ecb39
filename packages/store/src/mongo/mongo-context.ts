import { ErrorCode, OperationalError, OutrunError, type Clock } from '@outrun/schemas';
import type { Collection, Db, Document, IndexDescription, MongoClient } from 'mongodb';
import { backfillLiveTriggerIds, triggerIdsIndex } from './mongo-trigger-ids';

/** Collection names (ARCHITECTURE.md, "Data model"): the seed's per-workspace names plus the shared ones. */
export const names = {
  workflows: (workspaceId: string) => `workspace_${workspaceId}_workflows`,
  runs: (workspaceId: string) => `workflow_${workspaceId}_runs`,
  data: (workspaceId: string, collection: string) => `data_${workspaceId}_${collection}`,
  workspaces: 'workspaces',
  apiKeys: 'api_keys',
  versions: 'workflow_versions',
  drafts: 'workflow_drafts',
  triggerState: 'trigger_state',
  credentials: 'credentials',
  idempotency: 'idempotency_keys',
  counters: 'counters',
} as const;

const RUN_INDEXES: IndexDescription[] = [
  { key: { queuedAt: -1, _id: -1 }, name: 'by_queued' },
  { key: { workflowId: 1, queuedAt: -1, _id: -1 }, name: 'by_workflow' },
  { key: { workflowId: 1, status: 1, queuedAt: -1, _id: -1 }, name: 'by_workflow_status' },
  { key: { status: 1, queuedAt: -1, _id: -1 }, name: 'by_status' },
  { key: { finishedAt: 1 }, name: 'by_finished', partialFilterExpression: { finishedAt: { $exists: true } } },
  { key: { workflowId: 1, statsPending: 1 }, name: 'stats_pending', partialFilterExpression: { statsPending: true } },
  { key: { waitingFor: 1, queuedAt: 1 }, name: 'by_waiting_for', partialFilterExpression: { waitingFor: { $exists: true } } },
  { key: { parentRunId: 1, queuedAt: -1, _id: -1 }, name: 'by_parent', partialFilterExpression: { parentRunId: { $exists: true } } },
];
const WORKFLOW_INDEXES: IndexDescription[] = [
  { key: { updatedAt: -1, _id: -1 }, name: 'by_updated' },
  { key: { status: 1 }, name: 'by_status' },
  triggerIdsIndex,
];
const DATA_INDEXES: IndexDescription[] = [{ key: { '_id.w': 1, '_id.c': 1, createdAt: 1, '_id.id': 1 }, name: 'by_created' }];

/** What every MongoDB sub-store shares. */
export interface MongoContext {
  client: MongoClient;
  db: Db;
  now(): string;
  maxStepBytes: number;
  /** The collection, with its indexes ensured once per process (per-workspace collections appear lazily). */
  collection(name: string): Promise<Collection>;
}

/** Creates the shared collections' indexes (start-up) and returns the context. */
export async function createMongoContext(client: MongoClient, db: Db, options: { clock: Pick<Clock, 'now'>; maxStepBytes: number }): Promise<MongoContext> {
  const ensured = new Map<string, Promise<Collection>>();
  const indexesFor = (name: string): IndexDescription[] => {
    if (/^workflow_.+_runs$/.test(name)) return RUN_INDEXES;
    if (/^workspace_.+_workflows$/.test(name)) return WORKFLOW_INDEXES;
    if (name.startsWith('data_')) return DATA_INDEXES;
    return [];
  };
  const ensure = async (name: string): Promise<Collection> => {
    if (name.startsWith('data_')) {
      // Pre-images give change events their `before` document (MongoDB 6+).
      await db.createCollection(name, { changeStreamPreAndPostImages: { enabled: true } }).catch((error: unknown) => {
        if ((error as { codeName?: string }).codeName !== 'NamespaceExists') throw error;
      });
    }
    const collection = db.collection(name);
    if (/^workspace_.+_workflows$/.test(name)) await backfillLiveTriggerIds(collection);
    const indexes = indexesFor(name);
    if (indexes.length > 0) await collection.createIndexes(indexes);
    return collection;
  };
  const ctx: MongoContext = {
    client,
    db,
    now: () => new Date(options.clock.now()).toISOString(),
    maxStepBytes: options.maxStepBytes,
    collection(name) {
      let pending = ensured.get(name);
      if (!pending) {
        pending = ensure(name);
        pending.catch(() => ensured.delete(name));
        ensured.set(name, pending);
      }
      return pending;
    },
  };
  await Promise.all([
    db.collection(names.apiKeys).createIndexes([{ key: { prefix: 1 }, name: 'prefix', unique: true }, { key: { workspaceId: 1, createdAt: 1 }, name: 'by_workspace' }]),
    db.collection(names.versions).createIndexes([{ key: { workspaceId: 1, workflowId: 1, version: -1 }, name: 'by_workflow', unique: true }]),
    db.collection(names.idempotency).createIndexes([
      { key: { workspaceId: 1, key: 1 }, name: 'unique_per_workspace', unique: true },
      { key: { expiresAt: 1 }, name: 'ttl', expireAfterSeconds: 0 },
      { key: { workspaceId: 1, runId: 1 }, name: 'by_run' },
    ]),
    db.collection(names.credentials).createIndexes([{ key: { workspaceId: 1, createdAt: 1 }, name: 'by_workspace' }]),
    db.collection(names.triggerState).createIndexes([{ key: { kind: 1 }, name: 'by_kind' }]),
  ]);
  // Existing workspaces get their per-workspace indexes now; new ones on first use.
  const existing = await db.listCollections({}, { nameOnly: true }).toArray();
  await Promise.all(existing.map((c) => c.name).filter((n) => indexesFor(n).length > 0).map((n) => ctx.collection(n)));
  return ctx;
}

/** True for a duplicate-key write error. */
export const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown }).code === 11000;

/** Maps driver failures to stable Outrun errors (adapter edge); Outrun errors pass through. */
export function translateMongoError(error: unknown): unknown {
  if (error instanceof OutrunError) return error;
  const e = error as { name?: string; code?: unknown; codeName?: string; message?: string };
  if (e.code === 40573 || /only supported on replica sets/i.test(e.message ?? '')) {
    return new OperationalError(ErrorCode.MONGO_REPLICA_SET_REQUIRED, 'MongoDB change streams need a replica set: start mongod with --replSet and use e.g. mongodb://localhost:27017/outrun?replicaSet=rs0.', { cause: error });
  }
  if (e.code === 286 || e.codeName === 'ChangeStreamHistoryLost') {
    return new OperationalError(ErrorCode.CHANGE_STREAM_HISTORY_LOST, 'The saved change-stream position fell out of the MongoDB oplog: changes since then are lost. Enlarge the oplog, then reset the consumer position.', { cause: error });
  }
  if (typeof e.name === 'string' && /MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoTopologyClosedError|MongoNotConnectedError|MongoPoolClosedError|MongoPoolClearedError|MongoWaitQueueTimeoutError/.test(e.name)) {
    return new OperationalError(ErrorCode.STORE_UNAVAILABLE, `MongoDB is unavailable: ${e.message ?? e.name}`, { cause: error });
  }
  return error;
}

/** Wraps every promise-returning method of a port so driver errors are translated. */
export function translated<T extends object>(port: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(port)) {
    out[key] =
      typeof value === 'function'
        ? (...args: unknown[]) => {
            const result: unknown = (value as (...a: unknown[]) => unknown)(...args);
            return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(translateMongoError(error))) : result;
          }
        : value;
  }
  return out as T;
}

/** Drops `_id` and renames it to `id`. */
export function withId<T extends Document>(doc: T): Omit<T, '_id'> & { id: string } {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest };
}
