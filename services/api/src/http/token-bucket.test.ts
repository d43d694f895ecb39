import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it('allows a burst, refuses with Retry-After, refills at rps, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets({ rps: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    const refused = buckets.take('a');
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(buckets.take('b').allowed).toBe(true);
    now += 500; // one token at 2 rps
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    now += 60_000; // never above burst
    expect(buckets.take('a').remaining).toBe(2);
  });

  it('rounds a long wait up to whole seconds', () => {
    let now = 0;
    const slow = new TokenBuckets({ rps: 0.1, burst: 1 }, () => now);
    expect(slow.take('k').allowed).toBe(true);
    expect(slow.take('k').retryAfterSeconds).toBe(10);
    now += 10_000;
    expect(slow.take('k').allowed).toBe(true);
  });
});
