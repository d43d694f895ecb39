import type { RunStats, RunStatsQuery } from '../ports';
import { foldRunStats, p95Index } from '../shared/run-stats';
import { windowStart } from '../shared/time';
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
      const folded = foldRunStats(groups.map((g) => ({ ...g, dsum: g.dsum ?? 0 })), now, days);
      // finished runs with a duration: the population of the p95
      const p95 = folded.timed === 0 ? null : (ctx.stmt(P95.replace('%WHERE%', where)).get(...params, p95Index(folded.timed)) as { d: number }).d;
      return folded.toStats(p95);
    });
}
