import type { Document } from 'mongodb';
import type { RunStats, RunStatsQuery } from '../ports';
import { foldRunStats, p95Index } from '../shared/run-stats';
import { windowStart } from '../shared/time';
import { names, type MongoContext } from './mongo-context';

/** Run statistics by aggregation: per day and status, then p95 by sorted skip (nearest rank). */
export function createMongoRunStats(ctx: MongoContext): (workspaceId: string, query?: RunStatsQuery) => Promise<RunStats> {
  return async (workspaceId, query = {}) => {
    const days = Math.max(1, Math.min(366, Math.floor(query.days ?? 30)));
    const now = query.now ?? new Date(ctx.now());
    const match: Document = { workspaceId, queuedAt: { $gte: windowStart(now, days).toISOString() } };
    if (query.workflowId !== undefined) {
      match.workflowId = query.workflowId;
      // Test runs (editor test loop) are not production: one workflow's stats leave them out.
      match['triggeredBy.test'] = { $exists: false };
    }
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
            ucalls: { $sum: { $ifNull: ['$usage.unpricedCalls', 0] } },
            utokens: { $sum: { $ifNull: ['$usage.unpricedTokens', 0] } },
            dsum: { $sum: { $cond: [{ $and: [{ $ifNull: ['$finishedAt', false] }, { $isNumber: '$durationMs' }] }, '$durationMs', 0] } },
            dcount: { $sum: { $cond: [{ $and: [{ $ifNull: ['$finishedAt', false] }, { $isNumber: '$durationMs' }] }, 1, 0] } },
          },
        },
      ])
      .toArray();
    const folded = foldRunStats(
      groups.map((g) => {
        const { day, status } = g._id as { day: string; status: string };
        return { day, status, n: g.n as number, tokens: g.tokens as number, cost: g.cost as number, ucalls: g.ucalls as number, utokens: g.utokens as number, dsum: g.dsum as number, dcount: g.dcount as number };
      }),
      now,
      days,
    );
    const timed = await runs.countDocuments(timedFilter);
    const p95Doc = timed === 0 ? null : await runs.find(timedFilter, { projection: { durationMs: 1 } }).sort({ durationMs: 1 }).skip(p95Index(timed)).limit(1).next();
    return folded.toStats(p95Doc ? (p95Doc.durationMs as number) : null);
  };
}
