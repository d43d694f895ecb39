/**
 * The per-workflow concurrency port (`settings.concurrency` across every runner process).
 * A holder (the run id) takes one of `limit` slots of a key (the workflow); slots are leases that the
 * limiter renews while held, so a crashed runner's slot frees itself when its lease expires.
 * Runs over the cap queue up by `order` (their `queuedAt`) and are admitted first-come, first-served.
 */
export interface WorkflowLimiter {
  /**
   * Takes a slot when fewer than `limit` are held and this holder is among the first waiters by `order`.
   * Idempotent per holder: a holder that already has the slot (a redelivered run) gets it again.
   * @returns false when the caller must wait and try again later (its place in line is kept).
   */
  tryAcquire(key: string, holder: string, limit: number, order: number): Promise<boolean>;
  /** Frees the slot (and the place in line) of `holder`. */
  release(key: string, holder: string): Promise<void>;
  close(): Promise<void>;
}

export interface WorkflowLimiterOptions {
  /** A slot not renewed for this long is free again (crashed holder). @default 10000 */
  leaseMs?: number;
  /** A waiter that has not asked again for this long loses its place in line. @default 10000 */
  waiterStaleMs?: number;
}
