import type { RunUsage } from '@outrun/schemas';
import { durationBin } from './duration-bins';

/** What a finished run adds to its workspace's daily bucket (both adapters): its outcome, AI usage and duration. */
export interface RunBucketIncrements {
  completed: number;
  failed: number;
  cancelled: number;
  tokens: number;
  cost: number;
  ucalls: number;
  utokens: number;
  dsum: number;
  dcount: number;
  /** The duration's geometric bin (`duration-bins.ts`), null when the run has no duration. */
  bin: number | null;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function runBucketIncrements(run: { status: string; usage?: Partial<RunUsage> | null | undefined; durationMs: number | null }): RunBucketIncrements {
  const usage = run.usage ?? {};
  return {
    completed: run.status === 'completed' ? 1 : 0,
    failed: run.status === 'failed' ? 1 : 0,
    cancelled: run.status === 'cancelled' ? 1 : 0,
    tokens: num(usage.aiTokensUsed),
    cost: num(usage.estimatedCost),
    ucalls: num(usage.unpricedCalls),
    utokens: num(usage.unpricedTokens),
    dsum: run.durationMs ?? 0,
    dcount: run.durationMs === null ? 0 : 1,
    bin: run.durationMs === null ? null : durationBin(run.durationMs),
  };
}
