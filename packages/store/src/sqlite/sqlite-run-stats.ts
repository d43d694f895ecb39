import type { RunStats, RunStatsQuery } from '../ports';
import { windowDays, windowStart } from '../shared/time';
import type { SqliteContext } from './sqlite-database';

interface GroupRow {
  day: string;
  status: string;
  n: number;
  tokens: number;
  cost: number;
  dsum: number | null;
  dcount: number;
}

const GROUPS = `SELECT substr(queued_at, 1, 10) AS day, status, count(*) AS n,
  total(json_extract(usage, '$.aiTokensUsed')) AS tokens, total(json_extract(usage, '$.estimatedCost')) AS cost,
  sum(CASE WHEN finished_at IS NOT NULL THEN duration_ms END) AS dsum, count(CASE WHEN finished_at IS NOT NULL THEN duration_ms END) AS dcount
  FROM runs WHERE %WHERE% GROUP BY day, status`;

const P95 = `SELECT duration_ms AS d FROM runs WHERE %WHERE% AND finished_at IS NOT NULL AND duration_ms IS NOT NULL ORDER BY duration_ms LIMIT 1 OFFSET ?`;

/** Nearest-rank index of the 95th percentile among `n` sorted values. */
export const p95Index = (n: number): number => Math.max(0, Math.ceil(0.95 * n) - 1);

/** Workspace or workflow run statistics over the last `days` days (by `queuedAt`, UTC days). */
export function createSqliteRunStats(ctx: SqliteContext): (workspaceId: string, query?: RunStatsQuery) => Promise<RunStats> {
  return (workspaceId, query = {}) =>
    ctx.run(() => {
      const days = Math.max(1, Math.min(366, Math.floor(query.days ?? 30)));
      const now = query.now ?? new Date(ctx.now());
      const from = windowStart(now, days).toISOString();
      const where = query.workflowId === undefined ? 'workspace_id = ? AND queued_at >= ?' : 'workspace_id = ? AND workflow_id = ? AND queued_at >= ?';
      const params = query.workflowId === undefined ? [workspaceId, from] : [workspaceId, query.workflowId, from];
      const groups = ctx.stmt(GROUPS.replace('%WHERE%', where)).all(...params) as GroupRow[];
      const perDay = windowDays(now, days).map((date) => ({ date, total: 0, completed: 0, failed: 0, cancelled: 0, aiTokensUsed: 0, estimatedCost: 0, avgDuration: 0, dsum: 0, dcount: 0 }));
      const byDate = new Map(perDay.map((d) => [d.date, d]));
      const totals = { total: 0, completed: 0, failed: 0, cancelled: 0, tokens: 0, cost: 0, dsum: 0, dcount: 0 };
      for (const g of groups) {
        const day = byDate.get(g.day);
        totals.total += g.n;
        totals.tokens += g.tokens;
        totals.cost += g.cost;
        totals.dsum += g.dsum ?? 0;
        totals.dcount += g.dcount;
        if (g.status === 'completed' || g.status === 'failed' || g.status === 'cancelled') totals[g.status] += g.n;
        if (!day) continue;
        day.total += g.n;
        day.aiTokensUsed += g.tokens;
        day.estimatedCost += g.cost;
        day.dsum += g.dsum ?? 0;
        day.dcount += g.dcount;
        if (g.status === 'completed' || g.status === 'failed' || g.status === 'cancelled') day[g.status] += g.n;
      }
      const timed = totals.dcount; // finished runs with a duration: the population of the p95
      const p95 = timed === 0 ? null : (ctx.stmt(P95.replace('%WHERE%', where)).get(...params, p95Index(timed)) as { d: number }).d;
      const decided = totals.completed + totals.failed;
      return {
        totalRuns: totals.total,
        successfulRuns: totals.completed,
        failedRuns: totals.failed,
        cancelledRuns: totals.cancelled,
        successRate: decided === 0 ? null : totals.completed / decided,
        avgExecutionTime: totals.dcount === 0 ? 0 : totals.dsum / totals.dcount,
        p95ExecutionTime: p95,
        aiTokensUsed: totals.tokens,
        estimatedCost: totals.cost,
        perDay: perDay.map(({ dsum, dcount, ...d }) => ({ ...d, avgDuration: dcount === 0 ? 0 : dsum / dcount })),
      };
    });
}
