/**
 * Lockout with backoff after repeated failed sign-ins, per account (email) and per client IP. After `freeFailures`
 * failures the key is locked for 1 s, doubling with each further failure up to 15 min; a success clears the
 * account's count. In-process memory (bounded): a gateway with several replicas counts per replica.
 */
import { systemClock, type Clock } from '@outrun/schemas';

export interface ThrottleOptions {
  /** Failures allowed before locking. @default 5 (account), 20 (IP) */
  freeFailures: number;
  maxEntries?: number;
  /** @default systemClock */
  clock?: Pick<Clock, 'now'>;
}

const BASE_LOCK_MS = 1000;
const MAX_LOCK_MS = 15 * 60_000;

export class SignInThrottle {
  private readonly entries = new Map<string, { failures: number; lockedUntil: number }>();
  private readonly clock: Pick<Clock, 'now'>;
  constructor(private readonly options: ThrottleOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Seconds until `key` may try again, or 0. */
  retryAfterSeconds(key: string): number {
    const entry = this.entries.get(key);
    const wait = entry ? entry.lockedUntil - this.clock.now() : 0;
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  fail(key: string): void {
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0 };
    entry.failures += 1;
    const over = entry.failures - this.options.freeFailures;
    if (over > 0) entry.lockedUntil = this.clock.now() + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** Math.min(over - 1, 20));
    this.entries.delete(key);
    this.entries.set(key, entry);
    const max = this.options.maxEntries ?? 100_000;
    // Oldest entries go first (a flood of distinct keys cannot grow memory without bound).
    while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value as string);
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }
}
