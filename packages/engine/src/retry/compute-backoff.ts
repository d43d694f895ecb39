import type { Random } from '../types';

/** The retry policy fields backoff needs (workflow `settings.retryPolicy`, merged with the node's override). */
export interface BackoffPolicy {
  backoffStrategy: 'exponential' | 'fixed' | 'linear';
  /** First wait in ms. */
  initialDelay: number;
  /** Upper bound of any wait in ms. */
  maxDelay: number;
  /** Random spread, 0..1 (0.2 = ±20 %). */
  jitter: number;
}

/**
 * The wait before retry number `retry` (1 = the first retry): `initialDelay` × 2^(retry-1) (exponential),
 * × retry (linear) or × 1 (fixed); spread by ±`jitter` using `random`, then clamped to [0, maxDelay].
 * Pure: the same inputs give the same wait.
 */
export function computeBackoff(policy: BackoffPolicy, retry: number, random: Random): number {
  const n = Math.max(1, Math.floor(retry));
  const initial = Math.max(0, policy.initialDelay);
  let base: number;
  switch (policy.backoffStrategy) {
    case 'exponential':
      base = initial * 2 ** Math.min(n - 1, 60);
      break;
    case 'linear':
      base = initial * n;
      break;
    case 'fixed':
      base = initial;
      break;
  }
  const maxDelay = Math.max(0, policy.maxDelay);
  base = Math.min(base, maxDelay);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const spread = jitter === 0 ? 1 : 1 + jitter * (2 * random() - 1);
  return Math.round(Math.min(maxDelay, Math.max(0, base * spread)));
}
