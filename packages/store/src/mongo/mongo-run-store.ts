import { ErrorCode, emptyWorkflowStats, type Run, type WorkflowStats } from '@outrun/schemas';
import type { Document } from 'mongodb';
import type { FinishRunInput, RunStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { alreadyExists, compact } from '../shared/errors';
import { newQueuedRun } from '../shared/new-run';
import { timeOrderedId } from '../shared/time-ordered-id';
import { isoInstant } from '../shared/time';
import { toStoredValue } from '../shared/truncate';
import { isDuplicateKey, names, type MongoContext } from './mongo-context';
import { claimIdempotencyKey } from './mongo-idempotency';
import { SUMMARY_PROJECTION, toRun, toRunSummary, UNFINISHED } from './mongo-run-docs';
import { createMongoRunBuckets } from './mongo-run-buckets';
import { createMongoRunStats } from './mongo-run-stats';
import { recordMongoStepFinish, recordMongoStepStart } from './mongo-run-steps';

const DEFAULT_IDEMPOTENCY_TTL_MS = 72 * 3_600_000;

/** Pipeline update adding one finished run to the workflow's stats (all expressions read the old values). */
function statsUpdate(status: FinishRunInput['status'], duration: number | null): Document[] {
  const timed = duration === null ? 0 : 1;
  return [
    {
      $set: {
        'stats.totalRuns': { $add: ['$stats.totalRuns', 1] },
        'stats.successfulRuns': { $add: ['$stats.successfulRuns', status === 'completed' ? 1 : 0] },
        'stats.failedRuns': { $add: ['$stats.failedRuns', status === 'failed' ? 1 : 0] },
        'stats.avgExecutionTime':
          duration === null
            ? '$stats.avgExecutionTime'
            : { $add: ['$stats.avgExecutionTime', { $divide: [{ $subtract: [duration, '$stats.avgExecutionTime'] }, { $add: [{ $ifNull: ['$timedRuns', 0] }, 1] }] }] },
        timedRuns: { $add: [{ $ifNull: ['$timedRuns', 0] }, timed] },
      },
    },
  ];
}

/** Runs (`workflow_{ws}_runs`, steps embedded), idempotency keys and workflow stats on MongoDB. */
export function createMongoRunStore(ctx: MongoContext): RunStore {
  const runsOf = (ws: string) => ctx.collection(names.runs(ws));
  const keys = ctx.db.collection(names.idempotency);
  // Whole-workspace statistics come from daily buckets; one workflow's stay exact (mongo-run-buckets.ts).
  const buckets = createMongoRunBuckets(ctx);
  const exactStats = createMongoRunStats(ctx);

  /** Writes the terminal status once, then adds the run to the workflow stats; false when already terminal. */
  const finish = async (workspaceId: string, runId: string, input: FinishRunInput & { at: string }): Promise<boolean> => {
    const at = isoInstant(input.at);
    const set = compact({
      status: input.status,
      error: input.error,
      output: toStoredValue(input.output, ctx.maxStepBytes).value,
      response: input.response,
      usage: input.usage,
      finishedAt: at,
      durationMs: { $cond: [{ $ifNull: ['$startedAt', false] }, { $max: [0, { $subtract: [{ $toDate: at }, { $toDate: '$startedAt' }] }] }, null] },
    });
    const literal: Document = {};
    for (const [k, v] of Object.entries(set)) literal[k] = k === 'durationMs' ? v : { $literal: v };
    const done = await (await runsOf(workspaceId)).findOneAndUpdate({ _id: runId as never, workspaceId, status: UNFINISHED }, [{ $set: literal }, { $unset: 'resumeAt' }], {
      returnDocument: 'after',
      projection: { workflowId: 1, durationMs: 1, queuedAt: 1, status: 1, usage: 1, finishedAt: 1 },
    });
    if (!done) return false;
    await buckets.finished(workspaceId, done);
    // Only the writer that won the terminal transition counts the run: stats are exact under concurrency.
    await (await ctx.collection(names.workflows(workspaceId))).updateOne({ _id: done.workflowId as never }, statsUpdate(input.status, (done.durationMs as number | null) ?? null));
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
      const id = input.id ?? timeOrderedId();
      const key = input.idempotencyKey;
      if (key !== undefined) {
        const holder = await claimIdempotencyKey(keys, runs, { workspaceId, key, runId: id, now, ttlMs: input.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS });
        const run = holder === null ? null : await getRun(workspaceId, holder);
        if (run) return { run, created: false };
      }
      const run = newQueuedRun(workspaceId, id, input, now);
      const { id: _id, ...rest } = run;
      try {
        await runs.insertOne({ _id: _id as never, ...rest, triggerType: input.triggeredBy.type, storedBytes: 0 });
      } catch (error) {
        if (isDuplicateKey(error)) throw alreadyExists('Run', id);
        throw error;
      }
      await buckets.created(workspaceId, run.queuedAt);
      return { run, created: true };
    },
    getRun,
    async listRuns(workspaceId, options = {}) {
      const limit = pageLimit(options.limit);
      const filter: Document = { workspaceId };
      if (options.workflowId !== undefined) filter.workflowId = options.workflowId;
      if (options.status !== undefined) filter.status = options.status;
      if (options.triggerType !== undefined) filter.triggerType = options.triggerType;
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
        [{ $set: { status: 'running', attempt: options.attempt, startedAt: { $ifNull: ['$startedAt', at] } } }, { $unset: 'resumeAt' }],
        { returnDocument: 'after' },
      );
      return d ? toRun(d) : null;
    },
    async parkRun(workspaceId, runId, resumeAt) {
      await (await runsOf(workspaceId)).updateOne({ _id: runId as never, workspaceId, status: UNFINISHED }, { $set: { resumeAt: isoInstant(resumeAt, 'resumeAt') } });
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
      await buckets.discarded(workspaceId, String(d.queuedAt));
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
      const d = await (await ctx.collection(names.workflows(workspaceId))).findOne({ _id: workflowId as never }, { projection: { stats: 1 } });
      return (d?.stats as WorkflowStats | undefined) ?? emptyWorkflowStats();
    },
    getRunStats: (workspaceId, query) => (query?.workflowId === undefined ? buckets.stats(workspaceId, query) : exactStats(workspaceId, query)),
    async deleteRunsFinishedBefore(workspaceId, before) {
      const cutoff = isoInstant(before, 'before');
      const runs = await runsOf(workspaceId);
      const ids = (await runs.find({ workspaceId, finishedAt: { $lt: cutoff } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
      if (ids.length === 0) return 0;
      await keys.deleteMany({ workspaceId, runId: { $in: ids } });
      return (await runs.deleteMany({ _id: { $in: ids }, finishedAt: { $lt: cutoff } })).deletedCount;
    },
  };
}
