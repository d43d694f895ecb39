import type { RunUsage } from '@outrun/schemas';
import type { SqliteContext } from './sqlite-database';

/**
 * The workspace's daily statistics buckets and duration bins, counted when a run reaches a terminal status — in the
 * transaction of `finish()`, the only place a run's status becomes terminal. Until migration 14 this was a trigger
 * on `UPDATE OF status ON runs`; a trigger makes every status update load the old and new rows whole (the trigger
 * payload, the output) and re-parse the stored usage JSON: about a fifth of the store's instructions per run.
 */
const DAILY = `INSERT INTO run_daily_stats (workspace_id, day, total, completed, failed, cancelled, tokens, cost, dsum, dcount, ucalls, utokens)
  VALUES (@ws, @day, 1, @completed, @failed, @cancelled, @tokens, @cost, @dsum, @dcount, @ucalls, @utokens)
  ON CONFLICT DO UPDATE SET total = total + 1, completed = completed + excluded.completed, failed = failed + excluded.failed,
    cancelled = cancelled + excluded.cancelled, tokens = tokens + excluded.tokens, cost = cost + excluded.cost,
    dsum = dsum + excluded.dsum, dcount = dcount + excluded.dcount, ucalls = ucalls + excluded.ucalls, utokens = utokens + excluded.utokens`;

// The bin formula of migration 10, evaluated by SQLite as before (the same floating point, so the same bin).
const BIN = `INSERT INTO run_duration_bins (workspace_id, day, bin, n)
  VALUES (@ws, @day, CASE WHEN @duration <= 1 THEN 0 ELSE CAST(ceil(ln(@duration) / ln(1.05)) AS INTEGER) END, 1)
  ON CONFLICT DO UPDATE SET n = n + 1`;

export interface FinishedRunForBuckets {
  workspaceId: string;
  queuedAt: string;
  status: 'completed' | 'failed' | 'cancelled';
  durationMs: number | null;
  /** The usage the finish stores (a run's usage is written only by its finish). */
  usage: RunUsage | undefined;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Counts a run that just finished (not a test run: the caller leaves those out). Call inside a write. */
export function countFinishedRun(ctx: SqliteContext, run: FinishedRunForBuckets): void {
  const day = run.queuedAt.slice(0, 10);
  const usage: Partial<RunUsage> = run.usage ?? {};
  ctx.stmt(DAILY).run({
    ws: run.workspaceId,
    day,
    completed: run.status === 'completed' ? 1 : 0,
    failed: run.status === 'failed' ? 1 : 0,
    cancelled: run.status === 'cancelled' ? 1 : 0,
    tokens: num(usage.aiTokensUsed),
    cost: num(usage.estimatedCost),
    dsum: run.durationMs ?? 0,
    dcount: run.durationMs === null ? 0 : 1,
    ucalls: num(usage.unpricedCalls),
    utokens: num(usage.unpricedCalls) > 0 ? num(usage.unpricedTokens) : 0,
  });
  if (run.durationMs !== null) ctx.stmt(BIN).run({ ws: run.workspaceId, day, duration: run.durationMs });
}
