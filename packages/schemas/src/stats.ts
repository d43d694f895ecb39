import { z } from 'zod';

/** One UTC day of run statistics. */
export const RunStatsPerDay = z.object({
  date: z.string(),
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  aiTokensUsed: z.number().int(),
  estimatedCost: z.number(),
  /** AI calls no price source knew, and their tokens: not in `estimatedCost` (unknown, not free). */
  unpricedCalls: z.number().int(),
  unpricedTokens: z.number().int(),
  avgDuration: z.number(),
});
export type RunStatsPerDay = z.infer<typeof RunStatsPerDay>;

/** Run statistics over a window (per workflow or workspace): the seed's stats plus rate, p95, tokens, cost, per day. */
export const RunStats = z.object({
  totalRuns: z.number().int(),
  successfulRuns: z.number().int(),
  failedRuns: z.number().int(),
  cancelledRuns: z.number().int(),
  /** successful / (successful + failed), 0..1; null without finished runs. */
  successRate: z.number().nullable(),
  avgExecutionTime: z.number(),
  p95ExecutionTime: z.number().nullable(),
  aiTokensUsed: z.number().int(),
  estimatedCost: z.number(),
  /** AI calls no price source knew, and their tokens: not in `estimatedCost` (unknown, not free). */
  unpricedCalls: z.number().int(),
  unpricedTokens: z.number().int(),
  perDay: z.array(RunStatsPerDay),
});
export type RunStats = z.infer<typeof RunStats>;
