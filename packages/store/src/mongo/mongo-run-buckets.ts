/**
 * Daily run buckets on MongoDB (`run_daily_stats`, one document per workspace and UTC day of `queuedAt`): the
 * whole-workspace statistics read a few dozen documents instead of aggregating every run. Kept by `$inc` after
 * each run write (MongoDB has no triggers; without a transaction a crash between the two writes can leave one run
 * uncounted — statistics, never the runs themselves). Durations are counted in the geometric bins of
 * `duration-bins.ts` (`bins.<n>`), so the p95 needs no sort. Editor test runs (`triggeredBy.test`) are not
 * production and are never counted (the SQLite store's finish leaves them out the same way).
 */
import type { Collection, Document } from 'mongodb';
import type { RunStats, RunStatsQuery } from '../ports';
import type { RunUsage } from '@outrun/schemas';
import { percentileFromBins } from '../shared/duration-bins';
import { runBucketIncrements } from '../shared/run-bucket-increments';
import { bucketToGroups, foldRunStats, p95Index } from '../shared/run-stats';
import { windowStart } from '../shared/time';
import { names, type MongoContext } from './mongo-context';

export const RUN_BUCKETS = 'run_daily_stats';
const BACKFILL_MARKER = { _id: 'run_daily_stats_backfilled' };

const bucketId = (workspaceId: string, day: string) => ({ w: workspaceId, d: day }) as never;
const dayOf = (iso: unknown): string => String(iso).slice(0, 10);
/** A test run of the editor's test loop: left out of every statistic. */
const isTestRun = (run: Document): boolean => (run.triggeredBy as { test?: unknown } | undefined)?.test !== undefined;

/** The bucket writes the run store calls after its own writes. */
export interface MongoRunBuckets {
  /** `run`: the new run (needs `queuedAt` and `triggeredBy`). */
  created(workspaceId: string, run: Document): Promise<void>;
  /** `run`: the finished run document (needs `queuedAt`, `status`, `usage`, `finishedAt`, `durationMs`, `triggeredBy.test`). */
  finished(workspaceId: string, run: Document): Promise<void>;
  /** `run`: the deleted run document (needs `queuedAt` and `triggeredBy`). */
  discarded(workspaceId: string, run: Document): Promise<void>;
  stats(workspaceId: string, query?: RunStatsQuery): Promise<RunStats>;
}

export function createMongoRunBuckets(ctx: MongoContext): MongoRunBuckets {
  const buckets: Collection = ctx.db.collection(RUN_BUCKETS);
  const inc = (workspaceId: string, day: string, fields: Record<string, number>) =>
    buckets.updateOne({ _id: bucketId(workspaceId, day) }, { $inc: fields, $setOnInsert: { workspaceId, day } }, { upsert: true });
  return {
    async created(workspaceId, run) {
      if (!isTestRun(run)) await inc(workspaceId, dayOf(run.queuedAt), { total: 1 });
    },
    async finished(workspaceId, run) {
      if (!isTestRun(run)) await inc(workspaceId, dayOf(run.queuedAt), outcomeFields(run));
    },
    async discarded(workspaceId, run) {
      if (!isTestRun(run)) await inc(workspaceId, dayOf(run.queuedAt), { total: -1 });
    },
    async stats(workspaceId, query = {}) {
      const days = Math.max(1, Math.min(366, Math.floor(query.days ?? 30)));
      const now = query.now ?? new Date(ctx.now());
      const from = windowStart(now, days).toISOString().slice(0, 10);
      const docs = await buckets.find({ workspaceId, day: { $gte: from } }).toArray();
      const rows = docs.map((d) => ({
        day: String(d.day), total: num(d.total), completed: num(d.completed), failed: num(d.failed), cancelled: num(d.cancelled),
        tokens: num(d.tokens), cost: num(d.cost), ucalls: num(d.ucalls), utokens: num(d.utokens), dsum: num(d.dsum), dcount: num(d.dcount),
      }));
      const folded = foldRunStats(rows.flatMap(bucketToGroups), now, days);
      if (folded.timed === 0) return folded.toStats(null);
      const bins = new Map<number, number>();
      for (const d of docs) for (const [bin, n] of Object.entries((d.bins ?? {}) as Record<string, number>)) bins.set(Number(bin), (bins.get(Number(bin)) ?? 0) + n);
      return folded.toStats(percentileFromBins([...bins].map(([bin, n]) => ({ bin, n })), p95Index(folded.timed)));
    },
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** What a finished run adds to its bucket: its outcome, AI usage and duration (in its bin). */
function outcomeFields(run: Document): Record<string, number> {
  const durationMs = run.finishedAt !== undefined && typeof run.durationMs === 'number' ? run.durationMs : null;
  const { bin, completed, failed, cancelled, dsum, dcount, ...usage } = runBucketIncrements({ status: String(run.status), usage: run.usage as RunUsage | undefined, durationMs });
  const fields: Record<string, number> = { completed, failed, cancelled, ...usage };
  if (bin !== null) Object.assign(fields, { dsum, dcount, [`bins.${bin}`]: 1 });
  return fields;
}

const TERMINAL = ['completed', 'failed', 'cancelled'];

/**
 * Builds the buckets from the runs already stored, once per database. One process claims the work (a marker
 * document inserted with a unique id: the others skip it) and counts the runs queued before its claim — runs
 * recorded after it are counted by the run store's own writes. The scan runs in the background (start-up is not held
 * up by a large history); increments are summed in memory per (workspace, day) and written once per bucket.
 * A run that finishes while the one-time scan passes it may be counted twice; the statistics of that moment only.
 *
 * Buckets built before test runs were left out (no `testRunsOut` on the marker) counted them: one process takes the
 * test runs still stored back out, once. Test runs that retention already deleted keep their share.
 */
export async function backfillMongoRunBuckets(ctx: MongoContext): Promise<void> {
  const buckets = ctx.db.collection(RUN_BUCKETS);
  await buckets.createIndexes([{ key: { workspaceId: 1, day: 1 }, name: 'by_day' }]);
  const markers = ctx.db.collection(names.counters);
  const cutoff = ctx.now();
  try {
    await markers.insertOne({ ...BACKFILL_MARKER, state: 'running', cutoff, testRunsOut: true } as never);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 11000) throw error;
    // done, or being done, by another process; an older one counted test runs
    const claimed = await markers.findOneAndUpdate({ ...BACKFILL_MARKER, testRunsOut: { $exists: false } } as never, { $set: { testRunsOut: 'running' } });
    if (claimed) {
      void scan(ctx, buckets, { queuedAt: { $lt: cutoff }, 'triggeredBy.test': { $exists: true } }, -1)
        .then(() => markers.updateOne(BACKFILL_MARKER as never, { $set: { testRunsOut: true } }))
        .catch(() => undefined); // left 'running': those test runs stay counted, nothing else is affected
    }
    return;
  }
  void scan(ctx, buckets, { queuedAt: { $lt: cutoff }, 'triggeredBy.test': { $exists: false } }, 1)
    .then(() => markers.updateOne(BACKFILL_MARKER as never, { $set: { state: 'done' } }))
    .catch(() => undefined); // left 'running': statistics of older runs stay incomplete, nothing else is affected
}

/** Adds (`sign` 1) or takes back (-1) the runs matching `filter` in their buckets, as the run store's writes count them. */
async function scan(ctx: MongoContext, buckets: Collection, filter: Document, sign: 1 | -1): Promise<void> {
  const collections = await ctx.db.listCollections({ name: { $regex: '^workflow_.+_runs$' } }, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    const sums = new Map<string, { workspaceId: string; day: string; fields: Record<string, number> }>();
    const projection = { workspaceId: 1, queuedAt: 1, status: 1, usage: 1, finishedAt: 1, durationMs: 1 };
    for await (const run of ctx.db.collection(name).find(filter, { projection })) {
      const workspaceId = String(run.workspaceId);
      const day = dayOf(run.queuedAt);
      const key = `${workspaceId}\u0000${day}`;
      let entry = sums.get(key);
      if (!entry) sums.set(key, (entry = { workspaceId, day, fields: {} }));
      const add = (fields: Record<string, number>) => {
        for (const [field, by] of Object.entries(fields)) entry.fields[field] = (entry.fields[field] ?? 0) + sign * by;
      };
      add({ total: 1 });
      if (TERMINAL.includes(String(run.status))) add(outcomeFields(run));
    }
    for (const { workspaceId, day, fields } of sums.values()) {
      await buckets.updateOne({ _id: bucketId(workspaceId, day) }, { $inc: fields, $setOnInsert: { workspaceId, day } }, { upsert: true });
    }
  }
}
