import { ErrorCode, type Run } from '@outrun/schemas';
import type { Document } from 'mongodb';
import type { FinishRunInput, RunStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { alreadyExists, compact } from '../shared/errors';
import { DEFAULT_IDEMPOTENCY_TTL_MS, newQueuedRun } from '../shared/new-run';
import { timeOrderedId } from '../shared/time-ordered-id';
import { isoInstant } from '../shared/time';
import { toStoredValue, truncatedMarker } from '../shared/truncate';
import { isDuplicateKey, names, type MongoContext } from './mongo-context';
import { claimIdempotencyKey, commitIdempotencyKey } from './mongo-idempotency';
import { RUN_DOC_BUDGET_BYTES, runsCollection, SUMMARY_PROJECTION, toRun, toRunSummary, UNFINISHED } from './mongo-run-docs';
import { createMongoRunBuckets } from './mongo-run-buckets';
import { createMongoRunStats } from './mongo-run-stats';
import { recordMongoStepFinish, recordMongoStepStart } from './mongo-run-steps';
import { bsonBytes } from './mongo-user-json';
import { countRunInStats, repairPendingStats, storedStats } from './mongo-workflow-stats';


/** Runs deleted per retention command: far below the driver's command size limit, short enough to interleave. */
export const RETENTION_CHUNK = 1000;

/** Runs (`workflow_{ws}_runs`, steps embedded), idempotency keys and workflow stats on MongoDB. */
export function createMongoRunStore(ctx: MongoContext): RunStore {
  const runsOf = (ws: string) => runsCollection(ctx, ws);
  const keys = ctx.db.collection(names.idempotency);
  // Whole-workspace statistics come from daily buckets; one workflow's stay exact (mongo-run-buckets.ts).
  const buckets = createMongoRunBuckets(ctx);
  const exactStats = createMongoRunStats(ctx);

  /**
   * The run output as stored, and the BSON bytes output, response, error and usage add: the output becomes a
   * marker when it would push the run document past its budget.
   */
  const terminalValues = async (runs: Awaited<ReturnType<typeof runsOf>>, runId: string, input: FinishRunInput): Promise<{ output: unknown; bytes: number }> => {
    const rest = bsonBytes(input.response) + bsonBytes(input.error) + bsonBytes(input.usage);
    const value = toStoredValue(input.output, ctx.maxStepBytes).value;
    if (value === undefined) return { output: undefined, bytes: rest };
    const used = ((await runs.findOne({ _id: runId as never }, { projection: { storedBytes: 1 } }))?.storedBytes as number | undefined) ?? 0;
    if (used + rest + bsonBytes(value) <= RUN_DOC_BUDGET_BYTES) return { output: value, bytes: rest + bsonBytes(value) };
    const json = JSON.stringify(input.output);
    const marker = truncatedMarker(json, Buffer.byteLength(json));
    return { output: marker, bytes: rest + bsonBytes(marker) };
  };

  /**
   * Writes the terminal status once (with a `statsPending` mark in the same write), then adds the run to the
   * workflow stats; false when already terminal. A crash between the two is repaired on read (mongo-workflow-stats).
   */
  const finish = async (workspaceId: string, runId: string, input: FinishRunInput & { at: string }): Promise<boolean> => {
    const at = isoInstant(input.at);
    const runs = await runsOf(workspaceId);
    const stored = await terminalValues(runs, runId, input);
    const set = compact({
      status: input.status,
      error: input.error,
      output: stored.output,
      response: input.response,
      usage: input.usage,
      finishedAt: at,
      statsPending: true,
      durationMs: { $cond: [{ $ifNull: ['$startedAt', false] }, { $max: [0, { $subtract: [{ $toDate: at }, { $toDate: '$startedAt' }] }] }, null] },
    });
    const literal: Document = {};
    for (const [k, v] of Object.entries(set)) literal[k] = k === 'durationMs' ? v : { $literal: v };
    literal.storedBytes = { $add: [{ $ifNull: ['$storedBytes', 0] }, stored.bytes] };
    const done = await runs.findOneAndUpdate({ _id: runId as never, workspaceId, status: UNFINISHED }, [{ $set: literal }, { $unset: ['resumeAt', 'waitingFor'] }], {
      returnDocument: 'after',
      projection: { workflowId: 1, durationMs: 1, queuedAt: 1, status: 1, usage: 1, finishedAt: 1, 'triggeredBy.test': 1 },
    });
    if (!done) return false;
    await buckets.finished(workspaceId, done);
    // A test run (editor test loop) is not production: the workflow's stats leave it out.
    if ((done.triggeredBy as { test?: unknown } | undefined)?.test !== undefined) {
      await runs.updateOne({ _id: runId as never }, { $unset: { statsPending: '' } });
      return true;
    }
    // Only the writer that won the terminal transition counts the run: stats are exact under concurrency.
    await countRunInStats(ctx, workspaceId, { runId, workflowId: String(done.workflowId), status: input.status, durationMs: (done.durationMs as number | null) ?? null });
    return true;
  };

  const getRun = async (workspaceId: string, runId: string): Promise<Run | null> => {
    const d = await (await runsOf(workspaceId)).findOne({ _id: runId as never, workspaceId });
    return d ? toRun(d) : null;
  };

  return {
    async createRun(workspaceId, input) {
      const runs = await runsOf(workspaceId);
      const now = ctx.now();
      const key = input.idempotencyKey;
      for (let attempt = 0; attempt < 5; attempt++) {
        const id = input.id ?? timeOrderedId();
        if (key !== undefined) {
          const holder = await claimIdempotencyKey(keys, runs, { workspaceId, key, runId: id, now, ttlMs: input.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS });
          const run = holder === null ? null : await getRun(workspaceId, holder);
          if (run) return { run, created: false };
          if (holder !== null) continue; // its run vanished in between: claim again
        }
        const run = newQueuedRun(workspaceId, id, input, now);
        const { id: _id, ...rest } = run;
        const doc = { _id: _id as never, ...rest, triggerType: input.triggeredBy.type, storedBytes: 0 };
        // The trigger payload and the envelope count against the run document's 16 MiB from the start.
        doc.storedBytes = bsonBytes(doc);
        try {
          await runs.insertOne(doc);
        } catch (error) {
          if (isDuplicateKey(error)) throw alreadyExists('Run', id);
          throw error;
        }
        if (key === undefined || (await commitIdempotencyKey(keys, { workspaceId, key, runId: id }))) {
          await buckets.created(workspaceId, run);
          return { run, created: true };
        }
        // Another creator took the key over while this run was being written: this run must not exist.
        await runs.deleteOne({ _id: id as never, status: 'queued' });
      }
      throw new Error(`could not create a run for idempotency key ${key ?? ''}`);
    },
    getRun,
    async listRuns(workspaceId, options = {}) {
      const limit = pageLimit(options.limit);
      const filter: Document = { workspaceId };
      if (options.workflowId !== undefined) filter.workflowId = options.workflowId;
      if (options.status !== undefined) filter.status = options.status;
      if (options.triggerType !== undefined) filter.triggerType = options.triggerType;
      if (options.parentRunId !== undefined) filter.parentRunId = options.parentRunId;
      if (options.from !== undefined || options.to !== undefined) {
        filter.queuedAt = compact({ $gte: options.from === undefined ? undefined : isoInstant(options.from, 'from'), $lte: options.to === undefined ? undefined : isoInstant(options.to, 'to') });
      }
      if (options.cursor !== undefined) {
        const [queuedAt, id] = decodeCursor(options.cursor, ['string', 'string']);
        filter.$and = [{ $or: [{ queuedAt: { $lt: queuedAt } }, { queuedAt, _id: { $lt: id } }] }];
      }
      const docs = await (await runsOf(workspaceId)).find(filter, { projection: SUMMARY_PROJECTION }).sort({ queuedAt: -1, _id: -1 }).limit(limit + 1).toArray();
      const items = docs.slice(0, limit).map(toRunSummary);
      const last = items.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor([last.queuedAt, last.id]) : null };
    },
    async markRunning(workspaceId, runId, options) {
      const at = isoInstant(options.at);
      const d = await (await runsOf(workspaceId)).findOneAndUpdate(
        { _id: runId as never, workspaceId, status: UNFINISHED },
        [
          { $set: { status: 'running', attempt: options.attempt, startedAt: { $ifNull: ['$startedAt', at] }, ...(options.traceId !== undefined ? { traceId: { $ifNull: ['$traceId', options.traceId] } } : {}) } },
          { $unset: ['resumeAt', 'waitingFor'] },
        ],
        { returnDocument: 'after' },
      );
      return d ? toRun(d) : null;
    },
    async parkRun(workspaceId, runId, resumeAt, waitingFor) {
      const set: Document = { resumeAt: isoInstant(resumeAt, 'resumeAt') };
      const unset: Document = { signalPayload: '' };
      if (waitingFor === undefined) unset.waitingFor = '';
      else set.waitingFor = waitingFor;
      await (await runsOf(workspaceId)).updateOne({ _id: runId as never, workspaceId, status: UNFINISHED }, { $set: set, $unset: unset });
    },
    async deliverSignal(workspaceId, runId, delivery) {
      // The payload is stored as JSON text: user keys (`$…`, dots) never become BSON field names.
      const signalPayload = JSON.stringify({ signal: delivery.signal, payload: delivery.payload ?? null });
      const r = await (await runsOf(workspaceId)).updateOne(
        { _id: runId as never, workspaceId, status: UNFINISHED, waitingFor: delivery.signal },
        { $set: { signalPayload, resumeAt: isoInstant(delivery.at, 'at') }, $unset: { waitingFor: '' } },
      );
      return r.modifiedCount > 0;
    },
    async getSignalPayload(workspaceId, runId) {
      const d = await (await runsOf(workspaceId)).findOne({ _id: runId as never, workspaceId }, { projection: { signalPayload: 1 } });
      return typeof d?.signalPayload === 'string' ? (JSON.parse(d.signalPayload) as { signal: string; payload: unknown }) : undefined;
    },
    async listRunsWaitingFor(workspaceId, signal, limit = 1000) {
      const docs = await (await runsOf(workspaceId)).find({ workspaceId, waitingFor: signal, status: UNFINISHED }, { projection: { _id: 1 } }).sort({ queuedAt: 1 }).limit(limit).toArray();
      return docs.map((d) => String(d._id));
    },
    async recordStepStart(workspaceId, runId, step) {
      await recordMongoStepStart(await runsOf(workspaceId), workspaceId, runId, step, ctx.maxStepBytes);
    },
    async recordStepFinish(workspaceId, runId, step) {
      await recordMongoStepFinish(await runsOf(workspaceId), workspaceId, runId, step, ctx.maxStepBytes);
    },
    finishRun: finish,
    async discardRun(workspaceId, runId) {
      const d = await (await runsOf(workspaceId)).findOneAndDelete({ _id: runId as never, workspaceId, status: 'queued' });
      if (!d) return false;
      await buckets.discarded(workspaceId, d);
      await keys.deleteMany({ workspaceId, runId });
      return true;
    },
    async cancelRun(workspaceId, runId, at) {
      await finish(workspaceId, runId, { status: 'cancelled', error: { code: ErrorCode.RUN_CANCELLED, message: 'The run was cancelled.' }, at });
      return getRun(workspaceId, runId);
    },
    async listUnfinishedRuns(limit = 10_000) {
      const collections = await ctx.db.listCollections({ name: { $regex: '^workflow_.+_runs$' } }, { nameOnly: true }).toArray();
      const out: Array<{ workspaceId: string; runId: string; status: Run['status']; resumeAt?: string }> = [];
      for (const { name } of collections) {
        if (out.length >= limit) break;
        const docs = await ctx.db.collection(name).find({ status: UNFINISHED }, { projection: { workspaceId: 1, status: 1, resumeAt: 1 } }).limit(limit - out.length).toArray();
        for (const d of docs) {
          const item = { workspaceId: String(d.workspaceId), runId: String(d._id), status: d.status as Run['status'] };
          out.push(typeof d.resumeAt === 'string' ? { ...item, resumeAt: d.resumeAt } : item);
        }
      }
      return out;
    },
    async getWorkflowStats(workspaceId, workflowId) {
      await repairPendingStats(ctx, workspaceId, workflowId);
      const d = await (await ctx.collection(names.workflows(workspaceId))).findOne({ _id: workflowId as never }, { projection: { stats: 1 } });
      return storedStats(d?.stats);
    },
    getRunStats: (workspaceId, query) => (query?.workflowId === undefined ? buckets.stats(workspaceId, query) : exactStats(workspaceId, query)),
    async deleteRunsFinishedBefore(workspaceId, before) {
      const cutoff = isoInstant(before, 'before');
      const runs = await runsOf(workspaceId);
      // Runs still waiting for their stats count (statsPending) stay until counted.
      const expired = { workspaceId, finishedAt: { $lt: cutoff }, statsPending: { $ne: true } };
      let deleted = 0;
      for (;;) {
        const ids = (await runs.find(expired, { projection: { _id: 1 } }).limit(RETENTION_CHUNK).toArray()).map((d) => d._id);
        if (ids.length === 0) return deleted;
        await keys.deleteMany({ workspaceId, runId: { $in: ids } });
        deleted += (await runs.deleteMany({ _id: { $in: ids }, ...expired })).deletedCount;
        if (ids.length < RETENTION_CHUNK) return deleted;
      }
    },
  };
}
