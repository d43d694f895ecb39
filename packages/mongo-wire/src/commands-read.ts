import { Long, type Document } from 'bson';
import { Aggregator } from 'mingo';
import { resumeToken, tokenSeq, type ChangeEntry } from './change-log';
import { CommandError } from './command-error';
import type { CommandContext, CommandHandler } from './command-context';
import { bsonSize, cloneDocument } from './documents';
import type { CursorState } from './server-state';

const DEFAULT_AWAIT_MS = 1000;
const CHANGE_BATCH_LIMIT = 1000;
const GET_MORE_BYTES = 16 * 1024 * 1024;

function collectionDocs(ctx: CommandContext, name: string, filter: Document | undefined): Document[] {
  const collection = ctx.state.collection(ctx.db, name);
  return collection ? [...collection.matching(filter ?? {})] : [];
}

const find: CommandHandler = (cmd, ctx) => {
  const name = String(cmd.find);
  const pipeline: Document[] = [];
  if (cmd.sort && Object.keys(cmd.sort as Document).length > 0) pipeline.push({ $sort: cmd.sort });
  if (typeof cmd.skip === 'number' && cmd.skip > 0) pipeline.push({ $skip: cmd.skip });
  const limit = typeof cmd.limit === 'number' ? Math.abs(cmd.limit) : 0;
  if (limit > 0) pipeline.push({ $limit: limit });
  if (cmd.projection && Object.keys(cmd.projection as Document).length > 0) pipeline.push({ $project: cmd.projection });
  const matched = collectionDocs(ctx, name, cmd.filter as Document | undefined);
  const docs = pipeline.length > 0 ? (new Aggregator(pipeline).run(matched) as Document[]) : matched;
  const batchSize = typeof cmd.batchSize === 'number' ? cmd.batchSize : undefined;
  return ctx.firstBatch(docs, `${ctx.db}.${name}`, batchSize === undefined ? undefined : { batchSize }, cmd.singleBatch === true || (typeof cmd.limit === 'number' && cmd.limit < 0));
};

const aggregate: CommandHandler = (cmd, ctx) => {
  const pipeline = (cmd.pipeline as Document[] | undefined) ?? [];
  const first = pipeline[0];
  if (first && '$changeStream' in first) return openChangeStream(cmd, ctx, first.$changeStream as Document, pipeline.slice(1));
  if (cmd.aggregate === 1) throw new CommandError(73, 'InvalidNamespace', 'This server supports database-level aggregate only with $changeStream.');
  const name = String(cmd.aggregate);
  // mingo's $set/$addFields write into nested input objects: the pipeline gets copies, never stored documents.
  const docs = new Aggregator(pipeline).run(collectionDocs(ctx, name, undefined).map(cloneDocument)) as Document[];
  return ctx.firstBatch(docs, `${ctx.db}.${name}`, cmd.cursor as Document | undefined);
};

function openChangeStream(cmd: Document, ctx: CommandContext, options: Document, rest: Document[]): Document {
  if (!ctx.options.replicaSetName) throw new CommandError(40573, 'Location40573', 'The $changeStream stage is only supported on replica sets');
  const coll = cmd.aggregate === 1 ? null : String(cmd.aggregate);
  const token = options.startAfter ?? options.resumeAfter;
  let afterSeq = ctx.state.log.head;
  if (token !== undefined) {
    afterSeq = tokenSeq(token);
    ctx.state.log.after(afterSeq); // fails with ChangeStreamHistoryLost when the history no longer reaches back
  } else if (options.startAtOperationTime) {
    afterSeq = ctx.state.log.seqBefore(options.startAtOperationTime as never);
  }
  const batchSize = typeof (cmd.cursor as Document | undefined)?.batchSize === 'number' ? ((cmd.cursor as Document).batchSize as number) : CHANGE_BATCH_LIMIT;
  const cursor: CursorState = { kind: 'changes', ns: `${ctx.db}.${coll ?? '$cmd.aggregate'}`, db: ctx.db, coll, afterSeq, pipeline: rest, options, batchSize };
  const batch = takeChanges(ctx, cursor, Math.max(batchSize, 0));
  const id = ctx.state.openCursor(cursor);
  return { cursor: { firstBatch: batch, postBatchResumeToken: resumeToken(cursor.afterSeq), id: Long.fromBigInt(id), ns: cursor.ns } };
}

/** The event a change stream shows for one change, shaped by the stream's fullDocument options. */
function toEvent(entry: ChangeEntry, options: Document, preImages: boolean, lookup: () => Document | null): Document {
  const event: Document = {
    _id: resumeToken(entry.seq),
    operationType: entry.operationType,
    clusterTime: entry.clusterTime,
    wallTime: entry.wallTime,
    ns: { db: entry.db, coll: entry.coll },
    documentKey: entry.documentKey,
  };
  const fullDocument = String(options.fullDocument ?? 'default');
  const after = () => (preImages ? (entry.after ?? null) : lookup());
  if (entry.operationType === 'insert' || entry.operationType === 'replace') event.fullDocument = after();
  else if (entry.operationType === 'update') {
    event.updateDescription = entry.updateDescription ?? { updatedFields: {}, removedFields: [] };
    if (fullDocument !== 'default') event.fullDocument = after();
  }
  const before = String(options.fullDocumentBeforeChange ?? 'off');
  if (before !== 'off' && entry.operationType !== 'insert') event.fullDocumentBeforeChange = preImages ? (entry.before ?? null) : null;
  return event;
}

/** Matching changes after the cursor's position; advances the position over everything examined. */
function takeChanges(ctx: CommandContext, cursor: Extract<CursorState, { kind: 'changes' }>, limit: number): Document[] {
  const out: Document[] = [];
  if (limit === 0) return out;
  const stage = cursor.pipeline.length > 0 ? new Aggregator(cursor.pipeline) : null;
  for (const entry of ctx.state.log.after(cursor.afterSeq)) {
    cursor.afterSeq = entry.seq;
    if (entry.db !== cursor.db || (cursor.coll !== null && entry.coll !== cursor.coll)) continue;
    const collection = ctx.state.collection(entry.db, entry.coll);
    const lookup = () => (collection ? ([...collection.matching({ _id: entry.documentKey._id })][0] ?? null) : null);
    const event = cloneDocument(toEvent(entry, cursor.options, collection?.preImages ?? false, lookup));
    const shown = stage ? (stage.run([event]) as Document[]) : [event];
    out.push(...shown);
    if (out.length >= limit) break;
  }
  return out;
}

const getMore: CommandHandler = async (cmd, ctx) => {
  const id = (cmd.getMore as Long | number | bigint).valueOf();
  const key = typeof id === 'bigint' ? id : BigInt(id as number);
  const cursor = ctx.state.cursors.get(key);
  if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${key} not found`);
  if (cursor.kind === 'documents') {
    const limit = typeof cmd.batchSize === 'number' && cmd.batchSize > 0 ? cmd.batchSize : Number.MAX_SAFE_INTEGER;
    const batch: Document[] = [];
    let bytes = 0;
    while (cursor.position < cursor.docs.length && batch.length < limit && bytes < GET_MORE_BYTES) {
      const doc = cursor.docs[cursor.position++] as Document;
      bytes += bsonSize(doc);
      batch.push(doc);
    }
    const done = cursor.position >= cursor.docs.length;
    if (done) ctx.state.cursors.delete(key);
    return { cursor: { nextBatch: batch, id: Long.fromBigInt(done ? 0n : key), ns: cursor.ns } };
  }
  const limit = typeof cmd.batchSize === 'number' && cmd.batchSize > 0 ? cmd.batchSize : cursor.batchSize || CHANGE_BATCH_LIMIT;
  const deadline = Date.now() + (typeof cmd.maxTimeMS === 'number' ? cmd.maxTimeMS : DEFAULT_AWAIT_MS);
  let batch = takeChanges(ctx, cursor, limit);
  while (batch.length === 0 && Date.now() < deadline && ctx.state.cursors.has(key)) {
    await ctx.state.log.waitForAppend(deadline - Date.now());
    batch = takeChanges(ctx, cursor, limit);
  }
  return { cursor: { nextBatch: batch, postBatchResumeToken: resumeToken(cursor.afterSeq), id: Long.fromBigInt(key), ns: cursor.ns } };
};

const killCursors: CommandHandler = (cmd, ctx) => {
  const killed: Long[] = [];
  for (const id of cmd.cursors as Array<Long | number>) {
    const key = BigInt(id.toString());
    if (ctx.state.cursors.delete(key)) killed.push(Long.fromBigInt(key));
  }
  ctx.state.log.wakeAll();
  return { cursorsKilled: killed, cursorsNotFound: [], cursorsAlive: [], cursorsUnknown: [] };
};

const count: CommandHandler = (cmd, ctx) => {
  let n = collectionDocs(ctx, String(cmd.count), cmd.query as Document | undefined).length;
  if (typeof cmd.skip === 'number') n = Math.max(0, n - cmd.skip);
  if (typeof cmd.limit === 'number' && cmd.limit > 0) n = Math.min(n, cmd.limit);
  return { n };
};

const distinct: CommandHandler = (cmd, ctx) => {
  const docs = collectionDocs(ctx, String(cmd.distinct), cmd.query as Document | undefined);
  const [result] = new Aggregator([{ $group: { _id: null, values: { $addToSet: `$${String(cmd.key)}` } } }]).run(docs) as Document[];
  return { values: (result?.values as unknown[] | undefined) ?? [] };
};

/** find, aggregate (and change streams), getMore, killCursors, count, distinct. */
export const readCommands: Record<string, CommandHandler> = { find, aggregate, getmore: getMore, killcursors: killCursors, count, distinct };
