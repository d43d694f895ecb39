import { NonRetriableError, RetryAfterError, UserError } from '@outrun/schemas';
import type { Random } from '../types';
import { computeBackoff, type BackoffPolicy } from './compute-backoff';

/** Full node retry policy: backoff plus how many retries follow the first attempt. */
export interface RetryPolicyLike extends BackoffPolicy {
  maxRetries: number;
}

/**
 * Whether an error may be retried at all: never `NonRetriableError`, never `UserError`, never an error
 * carrying `retriable: false`. Anything else (operational errors, timeouts, plain throws) may be.
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof NonRetriableError || error instanceof UserError) return false;
  if (error !== null && typeof error === 'object' && (error as { retriable?: unknown }).retriable === false) return false;
  return true;
}

/** Outcome of {@link decideRetry}: give up, or wait `delayMs` and try again. */
export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

export interface DecideRetryInput {
  error: unknown;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  policy: RetryPolicyLike;
  random: Random;
  /** Run time left in ms: a wait never outlasts the run (the run timeout fires instead). */
  remainingMs: number;
}

/**
 * Decides whether attempt `attempt` is followed by another, and after how long. `RetryAfterError`
 * waits its `retryAfterMs` (honoured even above `maxDelay`), capped by the run time left.
 */
export function decideRetry({ error, attempt, policy, random, remainingMs }: DecideRetryInput): RetryDecision {
  if (!isRetriable(error) || attempt > policy.maxRetries) return { retry: false };
  const wait = error instanceof RetryAfterError ? Math.max(0, error.retryAfterMs) : computeBackoff(policy, attempt, random);
  return { retry: true, delayMs: Math.max(0, Math.min(wait, remainingMs)) };
}
