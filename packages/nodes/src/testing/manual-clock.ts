/** A `Clock` for tests: time only moves when `advance` is called or something `sleep`s (instantly). */
import type { Clock } from '@outrun/engine';

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
  /** Every `sleep(ms)` call so far, in order. */
  readonly sleeps: number[];
}

/** Creates a manual clock starting at `startMs` (@default 2026-01-01T00:00:00Z). */
export function createManualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    advance(ms) {
      now += ms;
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      sleeps.push(ms);
      now += Math.max(0, ms);
      return Promise.resolve();
    },
  };
}
