import type { RunUsage } from '@outrun/schemas';
import { runBucketIncrements } from '../shared/run-bucket-increments';
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

const BIN = `INSERT INTO run_duration_bins (workspace_id, day, bin, n) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1`;

/** Counts a run that just finished (not a test run: the caller leaves those out). Call inside a write. */
export function countFinishedRun(ctx: SqliteContext, run: { workspaceId: string; queuedAt: string; status: string; durationMs: number | null; usage: RunUsage | undefined }): void {
  const day = run.queuedAt.slice(0, 10);
  const { bin, ...add } = runBucketIncrements(run);
  ctx.stmt(DAILY).run({ ws: run.workspaceId, day, ...add });
  if (bin !== null) ctx.stmt(BIN).run(run.workspaceId, day, bin);
}
