import { randomUUID } from 'node:crypto';
import { CollectionName, ErrorCode, UserError, type DataChangeEvent, type DataDocument, type JsonObject } from '@outrun/schemas';
import type { ChangeStreamDocument, Document } from 'mongodb';
import type { DataChangeFeedOptions, DataStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { checkDataFilter } from '../shared/data-filter';
import { alreadyExists, compact } from '../shared/errors';
import { isDuplicateKey, names, translateMongoError, type MongoContext } from './mongo-context';

/** Documents live in `data_{ws}_{collection}` with `_id: {w, c, id}`, so two tenants whose names collide never mix. */
const docId = (w: string, c: string, id: string) => ({ w, c, id }) as never;
const toDoc = (d: Document): DataDocument => {
  const key = d._id as { c: string; id: string };
  return { id: key.id, collection: key.c, data: d.data as JsonObject, createdAt: String(d.createdAt), updatedAt: String(d.updatedAt) };
};

function checkCollection(collection: string): void {
  if (!CollectionName.safeParse(collection).success) {
    throw new UserError(ErrorCode.VALIDATION, `Invalid collection name "${collection}".`, 400, { details: [{ path: 'collection', message: 'letters, digits, _ and - only (max 64)' }] });
  }
}

const OPERATIONS = { insert: 'insert', update: 'update', replace: 'update', delete: 'delete' } as const;

function toEvent(change: ChangeStreamDocument): DataChangeEvent | null {
  if (!(change.operationType in OPERATIONS)) return null;
  const c = change as ChangeStreamDocument & { documentKey: { _id: { w: string; c: string; id: string } }; fullDocument?: Document | null; fullDocumentBeforeChange?: Document | null; wallTime?: Date };
  const key = c.documentKey._id;
  return compact({
    position: (c._id as { _data: string })._data,
    workspaceId: key.w,
    collection: key.c,
    operation: OPERATIONS[change.operationType as keyof typeof OPERATIONS],
    documentId: key.id,
    document: (c.fullDocument?.data as JsonObject | undefined) ?? undefined,
    before: (c.fullDocumentBeforeChange?.data as JsonObject | undefined) ?? undefined,
    at: (c.wallTime ?? new Date()).toISOString(),
  });
}

/**
 * Equality filter of `data.find` as an aggregation expression: `$eq` of expressions is strict (no array element
 * matching, a missing field never equals null) and the value is a `$literal`, so `{"n": {"$gt": 2}}` means "n is
 * that object", as on SQLite.
 */
function dataEquality(filter: JsonObject): Document | null {
  checkDataFilter(filter);
  const terms = Object.entries(filter).map(([path, value]) => {
    const field = `$data.${path}`;
    // null equals only an explicit null (never a missing field), and a scalar or object never matches an array
    // element, as on SQLite; the type checks hold whatever the server's expression semantics for those cases.
    if (value === null) return { $eq: [{ $type: field }, 'null'] };
    const term = { $eq: [field, { $literal: value }] };
    return Array.isArray(value) ? term : { $and: [term, { $ne: [{ $type: field }, 'array'] }] };
  });
  if (terms.length === 0) return null;
  return terms.length === 1 ? (terms[0] as Document) : { $and: terms };
}

/** Workspace data collections and a change feed over MongoDB change streams (replica set required). */
export function createMongoDataStore(ctx: MongoContext): DataStore {
  const coll = (w: string, c: string) => {
    checkCollection(c);
    return ctx.collection(names.data(w, c));
  };

  async function* changes(options: DataChangeFeedOptions): AsyncGenerator<DataChangeEvent> {
    const { signal } = options;
    const match: Document = { 'ns.coll': { $regex: '^data_' }, operationType: { $in: Object.keys(OPERATIONS) } };
    if (options.workspaceId !== undefined) match['documentKey._id.w'] = options.workspaceId;
    if (options.collection !== undefined) match['documentKey._id.c'] = options.collection;
    const stream = ctx.db.watch([{ $match: match }], {
      fullDocument: 'whenAvailable',
      fullDocumentBeforeChange: 'whenAvailable',
      ...(options.after ? { resumeAfter: { _data: options.after } } : {}),
    });
    const stop = () => void stream.close().catch(() => undefined);
    signal?.addEventListener('abort', stop, { once: true });
    let idle: string | null = options.after ?? null;
    try {
      while (!signal?.aborted) {
        let change: ChangeStreamDocument | null;
        try {
          change = await stream.tryNext();
        } catch (error) {
          // The driver closes the stream before rethrowing a fatal error: only our own abort ends the feed quietly.
          if (signal?.aborted) return;
          throw translateMongoError(error);
        }
        if (change === null) {
          const token = (stream.resumeToken as { _data?: unknown } | null)?._data;
          if (typeof token === 'string' && token !== idle) {
            idle = token;
            options.onIdlePosition?.(token);
          }
          continue;
        }
        const event = toEvent(change);
        if (event) idle = event.position;
        if (event && (options.operations === undefined || options.operations.includes(event.operation))) yield event;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      await stream.close().catch(() => undefined);
    }
  }

  return {
    async insert(workspaceId, collection, data, options) {
      const now = ctx.now();
      const doc = { _id: docId(workspaceId, collection, options?.id ?? randomUUID()), data, createdAt: now, updatedAt: now };
      try {
        await (await coll(workspaceId, collection)).insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw alreadyExists('Document', (doc._id as { id: string }).id);
        throw error;
      }
      return toDoc(doc);
    },
    async get(workspaceId, collection, id) {
      const d = await (await coll(workspaceId, collection)).findOne({ _id: docId(workspaceId, collection, id) });
      return d ? toDoc(d) : null;
    },
    async update(workspaceId, collection, id, patch) {
      const d = await (await coll(workspaceId, collection)).findOneAndUpdate(
        { _id: docId(workspaceId, collection, id) },
        [{ $set: { data: { $mergeObjects: ['$data', { $literal: patch }] }, updatedAt: ctx.now() } }],
        { returnDocument: 'after' },
      );
      return d ? toDoc(d) : null;
    },
    async delete(workspaceId, collection, id) {
      return (await (await coll(workspaceId, collection)).deleteOne({ _id: docId(workspaceId, collection, id) })).deletedCount > 0;
    },
    async find(workspaceId, collection, options = {}) {
      const limit = pageLimit(options.limit);
      const filter: Document = { '_id.w': workspaceId, '_id.c': collection };
      const equal = dataEquality(options.filter ?? {});
      if (equal) filter.$expr = equal;
      if (options.cursor) {
        const [createdAt, id] = decodeCursor(options.cursor, ['string', 'string']);
        filter.$or = [{ createdAt: { $gt: createdAt } }, { createdAt, '_id.id': { $gt: id } }];
      }
      const docs = await (await coll(workspaceId, collection)).find(filter).sort({ createdAt: 1, '_id.id': 1 }).limit(limit + 1).toArray();
      const items = docs.slice(0, limit).map(toDoc);
      const last = items.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null };
    },
    async listCollections(workspaceId) {
      const prefix = names.data(workspaceId, '');
      const candidates = await ctx.db.listCollections({ name: { $regex: `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } }, { nameOnly: true }).toArray();
      const found: string[] = [];
      for (const { name } of candidates) {
        const collection = name.slice(prefix.length);
        if (await ctx.db.collection(name).findOne({ '_id.w': workspaceId, '_id.c': collection }, { projection: { _id: 1 } })) found.push(collection);
      }
      return found.sort();
    },
    changes,
  };
}
