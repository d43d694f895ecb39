import type { Document } from 'mongodb';
import type { RunStats, RunStatsQuery } from '../ports';
import { windowDays, windowStart } from '../shared/time';
import { names, type MongoContext } from './mongo-context';

const TERMINAL = ['completed', 'failed', 'cancelled'] as const;
type Terminal = (typeof TERMINAL)[number];
const isTerminal = (s: string): s is Terminal => (TERMINAL as readonly string[]).includes(s);

/** Run statistics by aggregation: per day and status, then p95 by sorted skip (nearest rank). */
export function createMongoRunStats(ctx: MongoContext): (workspaceId: string, query?: RunStatsQuery) => Promise<RunStats> {
  return async (workspaceId, query = {}) => {
    const days = Math.max(1, Math.min(366, Math.floor(query.days ?? 30)));
    const now = query.now ?? new Date(ctx.now());
    const match: Document = { workspaceId, queuedAt: { $gte: windowStart(now, days).toISOString() } };
    if (query.workflowId !== undefined) match.workflowId = query.workflowId;
    const runs = await ctx.collection(names.runs(workspaceId));
    const timedFilter = { ...match, finishedAt: { $exists: true }, durationMs: { $type: 'number' } };
    const groups = await runs
      .aggregate([
        { $match: match },
        {
          $group: {
            _id: { day: { $substrBytes: ['$queuedAt', 0, 10] }, status: '$status' },
            n: { $sum: 1 },
            tokens: { $sum: { $ifNull: ['$usage.aiTokensUsed', 0] } },
            cost: { $sum: { $ifNull: ['$usage.estimatedCost', 0] } },
            dsum: { $sum: { $cond: [{ $and: [{ $ifNull: ['$finishedAt', false] }, { $isNumber: '$durationMs' }] }, '$durationMs', 0] } },
            dcount: { $sum: { $cond: [{ $and: [{ $ifNull: ['$finishedAt', false] }, { $isNumber: '$durationMs' }] }, 1, 0] } },
          },
        },
      ])
      .toArray();
    const perDay = windowDays(now, days).map((date) => ({ date, total: 0, completed: 0, failed: 0, cancelled: 0, aiTokensUsed: 0, estimatedCost: 0, dsum: 0, dcount: 0 }));
    const byDate = new Map(perDay.map((d) => [d.date, d]));
    const t = { total: 0, completed: 0, failed: 0, cancelled: 0, tokens: 0, cost: 0, dsum: 0, dcount: 0 };
    for (const g of groups) {
      const { day, status } = g._id as { day: string; status: string };
      const n = g.n as number;
      Object.assign(t, { total: t.total + n, tokens: t.tokens + (g.tokens as number), cost: t.cost + (g.cost as number), dsum: t.dsum + (g.dsum as number), dcount: t.dcount + (g.dcount as number) });
      if (isTerminal(status)) t[status] += n;
      const d = byDate.get(day);
      if (!d) continue;
      Object.assign(d, { total: d.total + n, aiTokensUsed: d.aiTokensUsed + (g.tokens as number), estimatedCost: d.estimatedCost + (g.cost as number), dsum: d.dsum + (g.dsum as number), dcount: d.dcount + (g.dcount as number) });
      if (isTerminal(status)) d[status] += n;
    }
    const timed = await runs.countDocuments(timedFilter);
    const p95Doc = timed === 0 ? null : await runs.find(timedFilter, { projection: { durationMs: 1 } }).sort({ durationMs: 1 }).skip(Math.max(0, Math.ceil(0.95 * timed) - 1)).limit(1).next();
    const decided = t.completed + t.failed;
    return {
      totalRuns: t.total,
      successfulRuns: t.completed,
      failedRuns: t.failed,
      cancelledRuns: t.cancelled,
      successRate: decided === 0 ? null : t.completed / decided,
      avgExecutionTime: t.dcount === 0 ? 0 : t.dsum / t.dcount,
      p95ExecutionTime: p95Doc ? (p95Doc.durationMs as number) : null,
      aiTokensUsed: t.tokens,
      estimatedCost: t.cost,
      perDay: perDay.map(({ dsum, dcount, ...d }) => ({ ...d, avgDuration: dcount === 0 ? 0 : dsum / dcount })),
    };
  };
}
