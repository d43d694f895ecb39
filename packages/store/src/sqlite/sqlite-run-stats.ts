import type { RunStats, RunStatsQuery } from '../ports';
import { percentileFromBins } from '../shared/duration-bins';
import { bucketToGroups, foldRunStats, p95Index, type RunStatBucket } from '../shared/run-stats';
import { windowStart } from '../shared/time';
import type { SqliteContext } from './sqlite-database';
import { UNFINISHED } from './sqlite-run-rows';

interface GroupRow {
  day: string;
  status: string;
  n: number;
  tokens: number;
  cost: number;
  ucalls: number;
  utokens: number;
  dsum: number | null;
  dcount: number;
}

const GROUPS = `SELECT substr(queued_at, 1, 10) AS day, status, count(*) AS n,
  total(json_extract(usage, '$.aiTokensUsed')) AS tokens, total(json_extract(usage, '$.estimatedCost')) AS cost,
  total(json_extract(usage, '$.unpricedCalls')) AS ucalls, total(json_extract(usage, '$.unpricedTokens')) AS utokens,
  sum(CASE WHEN finished_at IS NOT NULL THEN duration_ms END) AS dsum, count(CASE WHEN finished_at IS NOT NULL THEN duration_ms END) AS dcount
  FROM runs WHERE %WHERE% GROUP BY day, status`;

const P95 = `SELECT duration_ms AS d FROM runs WHERE %WHERE% AND finished_at IS NOT NULL AND duration_ms IS NOT NULL ORDER BY duration_ms LIMIT 1 OFFSET ?`;

// Runs not yet finished are not in the buckets (migration 11): counted live, over the backlog only. Test runs are
// left out, as the buckets leave them out (migration 12).
const UNFINISHED_BY_DAY = `SELECT substr(queued_at, 1, 10) AS day, count(*) AS n FROM runs
  WHERE workspace_id = ? AND status IN ${UNFINISHED} AND queued_at >= ? AND json_extract(triggered_by, '$.test') IS NULL GROUP BY day`;

/** Buckets (finished runs) plus the live count of unfinished runs of each day, as one bucket per day. */
function withUnfinished(buckets: RunStatBucket[], unfinished: Array<{ day: string; n: number }>): RunStatBucket[] {
  const byDay = new Map(buckets.map((b) => [b.day, { ...b }]));
  for (const { day, n } of unfinished) {
    const b = byDay.get(day) ?? { day, total: 0, completed: 0, failed: 0, cancelled: 0, tokens: 0, cost: 0, dsum: 0, dcount: 0 };
    b.total += n;
    byDay.set(day, b);
  }
  return [...byDay.values()];
}

/**
 * Run statistics over the last `days` days (by `queuedAt`, UTC days). Whole workspace: from the daily buckets the
 * triggers of migrations 2, 11 and 12 maintain (production runs only), plus the unfinished runs (a few dozen rows, whatever the number of runs; p95 from duration bins, ≤ 5 %
 * above the exact value). One workflow: exact, from its runs (its own index bounds the scan).
 */
export function createSqliteRunStats(ctx: SqliteContext): (workspaceId: string, query?: RunStatsQuery) => Promise<RunStats> {
  return (workspaceId, query = {}) =>
    ctx.run(() => {
      const days = Math.max(1, Math.min(366, Math.floor(query.days ?? 30)));
      const now = query.now ?? new Date(ctx.now());
      const from = windowStart(now, days).toISOString();
      if (query.workflowId === undefined) {
        const day = from.slice(0, 10);
        const buckets = withUnfinished(
          ctx.stmt('SELECT * FROM run_daily_stats WHERE workspace_id = ? AND day >= ?').all(workspaceId, day) as RunStatBucket[],
          ctx.stmt(UNFINISHED_BY_DAY).all(workspaceId, day) as Array<{ day: string; n: number }>,
        );
        const folded = foldRunStats(buckets.flatMap(bucketToGroups), now, days);
        if (folded.timed === 0) return folded.toStats(null);
        const bins = ctx.stmt('SELECT bin, sum(n) AS n FROM run_duration_bins WHERE workspace_id = ? AND day >= ? GROUP BY bin').all(workspaceId, day) as Array<{ bin: number; n: number }>;
        return folded.toStats(percentileFromBins(bins, p95Index(folded.timed)));
      }
      // Test runs (editor test loop) are not production: one workflow's stats leave them out.
      const where = "workspace_id = ? AND workflow_id = ? AND queued_at >= ? AND json_extract(triggered_by, '$.test') IS NULL";
      const params = [workspaceId, query.workflowId, from];
      const groups = ctx.stmt(GROUPS.replace('%WHERE%', where)).all(...params) as GroupRow[];
      const folded = foldRunStats(groups.map((g) => ({ ...g, dsum: g.dsum ?? 0 })), now, days);
      // finished runs with a duration: the p95's population
      const p95 = folded.timed === 0 ? null : (ctx.stmt(P95.replace('%WHERE%', where)).get(...params, p95Index(folded.timed)) as { d: number }).d;
      return folded.toStats(p95);
    });
}
