/**
 * Token buckets keyed by API key id (and by workspace): `burst` tokens at most, refilled at `rps` per second.
 * Time comes from the injected clock so tests control it.
 */
export interface RateLimitOptions {
  /** Sustained requests per second. */
  rps: number;
  /** Bucket size (requests allowed at once). */
  burst: number;
}

export interface TakeResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until one token is available (0 when allowed). */
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
    private readonly now: () => number,
  ) {}

  /** Takes a token of `key`'s bucket; `options` overrides the default size and rate (per-workspace limits). */
  take(key: string, options: RateLimitOptions = this.options): TakeResult {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: options.burst, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(options.burst, bucket.tokens + elapsed * options.rps);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const waitSeconds = (1 - bucket.tokens) / options.rps;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < IDLE_MS) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.updatedAt > IDLE_MS) this.buckets.delete(key);
  }
}
