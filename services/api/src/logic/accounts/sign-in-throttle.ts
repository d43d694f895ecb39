/**
 * Lockout with backoff after repeated failed sign-ins, per account (email) and per client IP. After `freeFailures`
 * failures the key is locked for 1 s from its latest failure, doubling with each further failure up to 15 min; a
 * success clears the account's count. The counters live in the store, so every gateway process (replica) sees the
 * same ones; a counter is forgotten a day after its latest failure. Keys are hashed before they reach the store.
 */
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '@outrun/schemas';
import type { AccountStore, SignInFailures } from '@outrun/store';

const BASE_LOCK_MS = 1000;
const MAX_LOCK_MS = 15 * 60_000;
/** A counter without a new failure for this long is forgotten (bounds the store; typos from last week don't count). */
export const FORGET_FAILURES_MS = 24 * 3_600_000;

export interface ThrottleKey {
  /** Hashed; the store never sees the email or address. */
  readonly id: string;
  /** Failures allowed before locking. */
  readonly freeFailures: number;
}

const hashed = (kind: string, value: string): string => createHash('sha256').update(`${kind}:${value}`).digest('base64url');

export const accountKey = (email: string): ThrottleKey => ({ id: hashed('account', email.trim().toLowerCase()), freeFailures: 5 });
export const ipKey = (ip: string): ThrottleKey => ({ id: hashed('ip', ip), freeFailures: 20 });
/** Password-reset requests count against the IP like failures (they cannot flood a mailbox). */
export const resetKey = (ip: string): ThrottleKey => ({ id: hashed('reset', ip), freeFailures: 20 });

/** How long after its latest failure a key with `failures` stays locked. */
export function lockMs(failures: number, freeFailures: number): number {
  const over = failures - freeFailures;
  return over > 0 ? Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** Math.min(over - 1, 20)) : 0;
}

export interface ThrottleCheck {
  /** Seconds until every key may try again, or 0. */
  retryAfterSeconds: number;
  /** Keys that have failures on record (a success needs to clear only those). */
  counted: ReadonlySet<string>;
}

type CounterStore = Pick<AccountStore, 'readSignInFailures' | 'recordSignInFailure' | 'clearSignInFailures'>;

export class SignInThrottle {
  constructor(
    private readonly store: CounterStore,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  /** One store round trip for all keys. */
  async check(keys: readonly ThrottleKey[]): Promise<ThrottleCheck> {
    const now = this.clock.now();
    const found = await this.store.readSignInFailures(keys.map((k) => k.id), now);
    let wait = 0;
    for (const f of found) {
      const key = keys.find((k) => k.id === f.key);
      if (key) wait = Math.max(wait, f.lastFailureAt + lockMs(f.failures, key.freeFailures) - now);
    }
    return { retryAfterSeconds: wait > 0 ? Math.ceil(wait / 1000) : 0, counted: new Set(found.map((f: SignInFailures) => f.key)) };
  }

  async fail(keys: readonly ThrottleKey[]): Promise<void> {
    const now = this.clock.now();
    await this.store.recordSignInFailure(keys.map((k) => k.id), now, now + FORGET_FAILURES_MS);
  }

  /** Clears `key` when `check` saw failures on record (no write on the common path). */
  async succeed(key: ThrottleKey, check: ThrottleCheck): Promise<void> {
    if (check.counted.has(key.id)) await this.store.clearSignInFailures(key.id);
  }
}
