import type { RunQueue } from '@outrun/queue';
import { systemClock, type Clock } from '@outrun/schemas';

export interface BacklogGuardOptions {
  queue: Pick<RunQueue, 'counts'>;
  /** Runs waiting to start (runnable, not yet taken by a runner) past which webhooks are refused; 0 = never. */
  highWater: number;
  /** How old the sampled queue count may get before a webhook asks for a fresh one (ms). @default 200 */
  sampleMs?: number;
  /** @default systemClock */
  clock?: Pick<Clock, 'now'>;
}

export interface BacklogGuard {
  /**
   * False while the backlog is at the high-water mark (answer 503 + Retry-After, record nothing). True admits the
   * request and counts it in the backlog at once, so concurrent requests cannot all pass one sample.
   */
  tryAdmit(): boolean;
  /** True while the backlog is at the mark (admits nothing): the gateway's refusal before its own middleware. */
  full(): boolean;
  /** An admitted request that recorded no run (refused, a duplicate, failed) gives its place back. */
  release(): void;
  /** The last estimate: sampled waiting jobs plus requests admitted here since. */
  backlog(): number;
  /** Seconds a refused caller should wait: about the time the backlog above the mark takes to drain. */
  retryAfterSeconds(): number;
}

/**
 * The webhook path's overload guard. While arrivals exceed what the runners finish, the backlog (runs recorded
 * and queued, not yet started) would grow without bound — in memory for the embedded queue — and every accepted
 * webhook would cost CPU the runs need. Past `highWater` the webhook is refused before its body is read.
 *
 * The queue is sampled (`counts()` is a scan in memory or round trips to Redis), at most every `sampleMs`, and
 * never on the request's path: a webhook decides on the last sample plus the requests this process admitted
 * since, so one process never passes the mark (several listener processes each count their own admissions).
 */
export function createBacklogGuard(options: BacklogGuardOptions): BacklogGuard {
  const sampleMs = options.sampleMs ?? 200;
  const now = () => (options.clock ?? systemClock).now();
  let sampled = 0;
  /** Requests admitted since the sample in flight (or the last one) started. */
  let acceptedSince = 0;
  let sampledAt = -Infinity;
  let sampling = false;
  /** Waiting jobs per second that left the queue between the last two samples (for Retry-After). */
  let drainPerSecond = 0;

  const sample = () => {
    if (sampling) return;
    sampling = true;
    const startedAt = now();
    const acceptedBefore = acceptedSince;
    options.queue
      .counts()
      .then((c) => {
        const elapsed = Math.max(1, startedAt - sampledAt);
        // what was there + what arrived − what is there now = what started meanwhile
        const left = sampled + acceptedBefore - c.waiting;
        if (Number.isFinite(sampledAt) && left > 0) drainPerSecond = (left * 1000) / elapsed;
        sampled = c.waiting;
        acceptedSince -= acceptedBefore;
        sampledAt = startedAt;
      })
      .catch(() => undefined) // the queue being down is answered by the accept itself (503 QUEUE_UNAVAILABLE)
      .finally(() => (sampling = false));
  };

  const backlog = () => sampled + acceptedSince;
  const full = () => {
    if (options.highWater <= 0) return false;
    if (now() - sampledAt >= sampleMs) sample();
    return backlog() >= options.highWater;
  };
  return {
    tryAdmit() {
      if (full()) return false;
      if (options.highWater > 0) acceptedSince += 1;
      return true;
    },
    full,
    release() {
      if (options.highWater > 0) acceptedSince -= 1;
    },
    backlog,
    retryAfterSeconds() {
      const excess = Math.max(1, backlog() - options.highWater * 0.9);
      const seconds = drainPerSecond > 0 ? Math.ceil(excess / drainPerSecond) : 1;
      return Math.min(30, Math.max(1, seconds));
    },
  };
}
