/**
 * Token buckets by key — the one rate limiter of every service (API keys and workspaces in the gateway, triggers
 * and workspaces on webhooks): `burst` tokens at most, refilled at `rps` per second. Time comes from the injected
 * clock (or the caller) so tests control it.
 */
import { systemClock, type Clock } from '@outrun/schemas';

export interface RateLimitOptions {
  /** Sustained requests per second. */
  rps: number;
  /** Bucket size (requests allowed at once). */
  burst: number;
}

export interface TakeResult {
  allowed: boolean;
  remaining: number;
  /** Milliseconds until one token is available (0 when allowed). */
  retryAfterMs: number;
  /** The same, in whole seconds for a `Retry-After` header (at least 1 when refused). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets unused for this long are dropped, so memory stays bounded by active keys. */
const IDLE_MS = 10 * 60_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  /**
   * Takes a token of `key`'s bucket; `options` overrides the default size and rate (per-workspace or per-trigger
   * limits — a changed configuration applies from this take on, without refilling the bucket).
   */
  take(key: string, options: RateLimitOptions = this.options, now: number = this.clock.now()): TakeResult {
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: options.burst, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(options.burst, bucket.tokens + elapsed * options.rps);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterMs: 0, retryAfterSeconds: 0 };
    }
    const waitMs = ((1 - bucket.tokens) * 1000) / options.rps;
    return { allowed: false, remaining: 0, retryAfterMs: Math.ceil(waitMs), retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < IDLE_MS) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.updatedAt > IDLE_MS) this.buckets.delete(key);
  }
}
