import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('allows a burst, refuses with Retry-After, refills at rps, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets({ rps: 2, burst: 3 }, { now: () => now });
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    const refused = buckets.take('a');
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500, retryAfterSeconds: 1 });
    expect(buckets.take('b').allowed).toBe(true);
    now += 500; // one token at 2 rps
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    now += 60_000; // never above burst
    expect(buckets.take('a').remaining).toBe(2);
  });

  it('rounds a long wait up to whole seconds', () => {
    let now = 0;
    const slow = new TokenBuckets({ rps: 0.1, burst: 1 }, { now: () => now });
    expect(slow.take('k').allowed).toBe(true);
    expect(slow.take('k').retryAfterSeconds).toBe(10);
    now += 10_000;
    expect(slow.take('k').allowed).toBe(true);
  });

  it('takes the time and the limits from the caller when given, and keeps the level when the limits change', () => {
    const buckets = new TokenBuckets({ rps: 1, burst: 1 }, { now: () => { throw new Error('the caller gave the time'); } });
    const tight = { rps: 2, burst: 3 };
    expect([0, 0, 0].map((t) => buckets.take('t', tight, t).retryAfterMs)).toEqual([0, 0, 0]);
    expect(buckets.take('t', tight, 0).retryAfterMs).toBe(500);
    expect(buckets.take('t', tight, 499).allowed).toBe(false);
    expect(buckets.take('t', tight, 500).allowed).toBe(true);
    // A larger burst does not refill an empty bucket at once.
    expect(buckets.take('t', { rps: 2, burst: 10 }, 500).allowed).toBe(false);
  });
});
