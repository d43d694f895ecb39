/**
 * Daily run buckets on MongoDB (`run_daily_stats`, one document per workspace and UTC day of `queuedAt`): the
 * whole-workspace statistics read a few dozen documents instead of aggregating every run. Kept by `$inc` after
 * each run write (MongoDB has no triggers; without a transaction a crash between the two writes can leave one run
 * uncounted — statistics, never the runs themselves). Durations are counted in the geometric bins of
 * `duration-bins.ts` (`bins.<n>`), so the p95 needs no sort.
 */
import type { Collection, Document } from 'mongodb';
import type { RunStats, RunStatsQuery } from '../ports';
import { durationBin, percentileFromBins } from '../shared/duration-bins';
import { bucketToGroups, foldRunStats, p95Index } from '../shared/run-stats';
import { windowStart } from '../shared/time';
import { names, type MongoContext } from './mongo-context';

export const RUN_BUCKETS = 'run_daily_stats';
const BACKFILL_MARKER = { _id: 'run_daily_stats_backfilled' };

const bucketId = (workspaceId: string, day: string) => ({ w: workspaceId, d: day }) as never;
const dayOf = (iso: unknown): string => String(iso).slice(0, 10);

/** The bucket writes the run store calls after its own writes. */
export interface MongoRunBuckets {
  created(workspaceId: string, queuedAt: string): Promise<void>;
  /** `run`: the finished run document (needs `queuedAt`, `status`, `usage`, `finishedAt`, `durationMs`). */
  finished(workspaceId: string, run: Document): Promise<void>;
  discarded(workspaceId: string, queuedAt: string): Promise<void>;
  stats(workspaceId: string, query?: RunStatsQuery): Promise<RunStats>;
}

export function createMongoRunBuckets(ctx: MongoContext): MongoRunBuckets {
  const buckets: Collection = ctx.db.collection(RUN_BUCKETS);
  const inc = (workspaceId: string, day: string, fields: Record<string, number>) =>
    buckets.updateOne({ _id: bucketId(workspaceId, day) }, { $inc: fields, $setOnInsert: { workspaceId, day } }, { upsert: true });
  return {
    async created(workspaceId, queuedAt) {
      await inc(workspaceId, dayOf(queuedAt), { total: 1 });
    },
    async finished(workspaceId, run) {
      const status = String(run.status);
      const usage = (run.usage ?? {}) as { aiTokensUsed?: number; estimatedCost?: number; unpricedCalls?: number; unpricedTokens?: number };
      const fields: Record<string, number> = { [status]: 1, tokens: usage.aiTokensUsed ?? 0, cost: usage.estimatedCost ?? 0, ucalls: usage.unpricedCalls ?? 0, utokens: usage.unpricedTokens ?? 0 };
      if (run.finishedAt !== undefined && typeof run.durationMs === 'number') {
        fields.dsum = run.durationMs;
        fields.dcount = 1;
        fields[`bins.${durationBin(run.durationMs)}`] = 1;
      }
      await inc(workspaceId, dayOf(run.queuedAt), fields);
    },
    async discarded(workspaceId, queuedAt) {
      await inc(workspaceId, dayOf(queuedAt), { total: -1 });
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

/**
 * Builds the buckets from the runs already stored, once per database. One process claims the work (a marker
 * document inserted with a unique id: the others skip it) and counts the runs queued before its claim — runs
 * recorded after it are counted by the run store's own writes. The scan runs in the background (start-up is not held
 * up by a large history); increments are summed in memory per (workspace, day) and written once per bucket.
 * A run that finishes while the one-time scan passes it may be counted twice; the statistics of that moment only.
 */
export async function backfillMongoRunBuckets(ctx: MongoContext): Promise<void> {
  const buckets = ctx.db.collection(RUN_BUCKETS);
  await buckets.createIndexes([{ key: { workspaceId: 1, day: 1 }, name: 'by_day' }]);
  const markers = ctx.db.collection(names.counters);
  const cutoff = ctx.now();
  try {
    await markers.insertOne({ ...BACKFILL_MARKER, state: 'running', cutoff } as never);
  } catch (error) {
    if ((error as { code?: unknown }).code === 11000) return; // done, or being done, by another process
    throw error;
  }
  void scan(ctx, buckets, cutoff)
    .then(() => markers.updateOne(BACKFILL_MARKER as never, { $set: { state: 'done' } }))
    .catch(() => undefined); // left 'running': statistics of older runs stay incomplete, nothing else is affected
}

async function scan(ctx: MongoContext, buckets: Collection, cutoff: string): Promise<void> {
  const collections = await ctx.db.listCollections({ name: { $regex: '^workflow_.+_runs$' } }, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    const sums = new Map<string, { workspaceId: string; day: string; fields: Record<string, number> }>();
    const projection = { workspaceId: 1, queuedAt: 1, status: 1, usage: 1, finishedAt: 1, durationMs: 1 };
    for await (const run of ctx.db.collection(name).find({ queuedAt: { $lt: cutoff } }, { projection })) {
      const workspaceId = String(run.workspaceId);
      const day = dayOf(run.queuedAt);
      const key = `${workspaceId}\u0000${day}`;
      let entry = sums.get(key);
      if (!entry) sums.set(key, (entry = { workspaceId, day, fields: {} }));
      const add = (field: string, by: number) => {
        entry.fields[field] = (entry.fields[field] ?? 0) + by;
      };
      add('total', 1);
      if (!['completed', 'failed', 'cancelled'].includes(String(run.status))) continue;
      const usage = (run.usage ?? {}) as { aiTokensUsed?: number; estimatedCost?: number; unpricedCalls?: number; unpricedTokens?: number };
      add(String(run.status), 1);
      add('tokens', usage.aiTokensUsed ?? 0);
      add('cost', usage.estimatedCost ?? 0);
      add('ucalls', usage.unpricedCalls ?? 0);
      add('utokens', usage.unpricedTokens ?? 0);
      if (run.finishedAt !== undefined && typeof run.durationMs === 'number') {
        add('dsum', run.durationMs);
        add('dcount', 1);
        add(`bins.${durationBin(run.durationMs)}`, 1);
      }
    }
    for (const { workspaceId, day, fields } of sums.values()) {
      await buckets.updateOne({ _id: bucketId(workspaceId, day) }, { $inc: fields, $setOnInsert: { workspaceId, day } }, { upsert: true });
    }
  }
}
