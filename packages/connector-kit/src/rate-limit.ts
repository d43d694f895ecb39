/** Per-credential rate limiting: one token bucket per credential id, in this process. */
import type { Clock } from '@outrun/engine';

export interface RateLimiter {
  /** Resolves when the credential may make one more request (waits at most until `signal` aborts). */
  take(signal?: AbortSignal): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets keyed by credential id; idle buckets are dropped so the map stays bounded by active credentials. */
export class CredentialRateLimits {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** A limiter for one credential at `rps` with `burst` tokens. */
  limiter(key: string, limit: { rps: number; burst: number } | undefined): RateLimiter {
    if (!limit) return { take: async () => undefined };
    return { take: (signal) => this.take(key, limit, signal) };
  }

  private async take(key: string, limit: { rps: number; burst: number }, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.rps);
      bucket.at = now;
      this.buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        this.prune(now);
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - bucket.tokens) / limit.rps) * 1000), signal);
    }
  }

  private prune(now: number): void {
    if (this.buckets.size < 10_000) return;
    for (const [key, bucket] of this.buckets) if (now - bucket.at > 60_000) this.buckets.delete(key);
  }
}
