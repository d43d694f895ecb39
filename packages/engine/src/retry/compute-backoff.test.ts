import { describe, expect, it } from 'vitest';
import { computeBackoff, type BackoffPolicy } from './compute-backoff';

const half = (): number => 0.5; // jitter factor exactly 1
const policy = (p: Partial<BackoffPolicy>): BackoffPolicy => ({ backoffStrategy: 'exponential', initialDelay: 100, maxDelay: 10_000, jitter: 0, ...p });

describe('computeBackoff', () => {
  it('doubles per retry for exponential', () => {
    expect([1, 2, 3, 4].map((n) => computeBackoff(policy({}), n, half))).toEqual([100, 200, 400, 800]);
  });
  it('grows by the initial delay for linear', () => {
    expect([1, 2, 3].map((n) => computeBackoff(policy({ backoffStrategy: 'linear' }), n, half))).toEqual([100, 200, 300]);
  });
  it('stays constant for fixed', () => {
    expect([1, 5, 9].map((n) => computeBackoff(policy({ backoffStrategy: 'fixed' }), n, half))).toEqual([100, 100, 100]);
  });
  it('never exceeds maxDelay, even for huge retry numbers', () => {
    expect(computeBackoff(policy({ maxDelay: 1500 }), 10, half)).toBe(1500);
    expect(computeBackoff(policy({ maxDelay: 1500 }), 10_000, half)).toBe(1500);
    expect(computeBackoff(policy({ maxDelay: 1500, jitter: 1 }), 10, () => 0.999)).toBe(1500);
  });
  it('spreads by ±jitter using the injected random source', () => {
    const p = policy({ backoffStrategy: 'fixed', initialDelay: 1000, jitter: 0.2 });
    expect(computeBackoff(p, 1, () => 0)).toBe(800);
    expect(computeBackoff(p, 1, () => 0.5)).toBe(1000);
    expect(computeBackoff(p, 1, () => 0.9999999)).toBe(1200);
  });
  it('is deterministic for the same inputs', () => {
    const p = policy({ jitter: 0.5 });
    expect(computeBackoff(p, 3, () => 0.3)).toBe(computeBackoff(p, 3, () => 0.3));
  });
  it('treats nonsense inputs safely', () => {
    expect(computeBackoff(policy({ initialDelay: -5 }), 0, half)).toBe(0);
    expect(computeBackoff(policy({ jitter: 7 }), 1, () => 0)).toBe(0);
  });
});
