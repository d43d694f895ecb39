import type { RunStats } from '@outrun/schemas';
import { windowDays } from './time';

/** One aggregated row of runs per (UTC day, status), as each adapter's query returns it. */
export interface RunStatGroup {
  day: string;
  status: string;
  n: number;
  tokens: number;
  cost: number;
  /** Unpriced AI calls and their tokens (absent: none). */
  ucalls?: number;
  utokens?: number;
  /** Sum and count of durations of finished runs with a duration. */
  dsum: number;
  dcount: number;
}

/** Nearest-rank index of the 95th percentile among `n` sorted values. */
export const p95Index = (n: number): number => Math.max(0, Math.ceil(0.95 * n) - 1);

const TERMINAL = ['completed', 'failed', 'cancelled'] as const;
const isTerminal = (s: string): s is (typeof TERMINAL)[number] => (TERMINAL as readonly string[]).includes(s);

/**
 * Folds the per-(day, status) groups of a window into the RunStats both adapters return; only the p95 query
 * differs between them. `timed` = finished runs with a duration (the p95's population).
 */
export function foldRunStats(groups: Iterable<RunStatGroup>, now: Date, days: number): { timed: number; toStats(p95: number | null): RunStats } {
  const perDay = windowDays(now, days).map((date) => ({ date, total: 0, completed: 0, failed: 0, cancelled: 0, aiTokensUsed: 0, estimatedCost: 0, unpricedCalls: 0, unpricedTokens: 0, dsum: 0, dcount: 0 }));
  const byDate = new Map(perDay.map((d) => [d.date, d]));
  const t = { total: 0, completed: 0, failed: 0, cancelled: 0, tokens: 0, cost: 0, ucalls: 0, utokens: 0, dsum: 0, dcount: 0 };
  for (const g of groups) {
    t.total += g.n;
    t.tokens += g.tokens;
    t.cost += g.cost;
    t.ucalls += g.ucalls ?? 0;
    t.utokens += g.utokens ?? 0;
    t.dsum += g.dsum;
    t.dcount += g.dcount;
    if (isTerminal(g.status)) t[g.status] += g.n;
    const d = byDate.get(g.day);
    if (!d) continue;
    d.total += g.n;
    d.aiTokensUsed += g.tokens;
    d.estimatedCost += g.cost;
    d.unpricedCalls += g.ucalls ?? 0;
    d.unpricedTokens += g.utokens ?? 0;
    d.dsum += g.dsum;
    d.dcount += g.dcount;
    if (isTerminal(g.status)) d[g.status] += g.n;
  }
  const decided = t.completed + t.failed;
  return {
    timed: t.dcount,
    toStats: (p95) => ({
      totalRuns: t.total,
      successfulRuns: t.completed,
      failedRuns: t.failed,
      cancelledRuns: t.cancelled,
      successRate: decided === 0 ? null : t.completed / decided,
      avgExecutionTime: t.dcount === 0 ? 0 : t.dsum / t.dcount,
      p95ExecutionTime: p95,
      aiTokensUsed: t.tokens,
      estimatedCost: t.cost,
      unpricedCalls: t.ucalls,
      unpricedTokens: t.utokens,
      perDay: perDay.map(({ dsum, dcount, ...d }) => ({ ...d, avgDuration: dcount === 0 ? 0 : dsum / dcount })),
    }),
  };
}

/** One daily bucket of pre-aggregated runs (both adapters store these fields). */
export interface RunStatBucket {
  day: string;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  tokens: number;
  cost: number;
  ucalls?: number;
  utokens?: number;
  dsum: number;
  dcount: number;
}

/** A bucket as the (day, status) groups `foldRunStats` takes; tokens, cost and durations ride on one of them. */
export function bucketToGroups(b: RunStatBucket): RunStatGroup[] {
  const zero = { tokens: 0, cost: 0, dsum: 0, dcount: 0 };
  const unfinished = b.total - b.completed - b.failed - b.cancelled;
  return [
    { day: b.day, status: 'completed', n: b.completed, tokens: b.tokens, cost: b.cost, ucalls: b.ucalls ?? 0, utokens: b.utokens ?? 0, dsum: b.dsum, dcount: b.dcount },
    { day: b.day, status: 'failed', n: b.failed, ...zero },
    { day: b.day, status: 'cancelled', n: b.cancelled, ...zero },
    { day: b.day, status: 'queued', n: Math.max(0, unfinished), ...zero },
  ];
}
