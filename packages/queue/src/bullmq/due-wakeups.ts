/**
 * Wakes consumers at the exact instant of jobs enqueued with `runAt` (staged schedule occurrences).
 *
 * BullMQ workers block on the queue's marker until the next delayed job is due, but Redis checks blocking
 * timeouts only on its own event-loop ticks (`hz`, 10 per second by default), so a delayed job is promoted up
 * to 100 ms late. At `runAt` the producer adds BullMQ's base marker, which returns the blocked workers at once
 * and they promote what is due. Best effort: if the producer is gone, workers still promote on their own.
 */
export interface DueWakeups {
  /** Wakes consumers at `runAt` (epoch ms); one timer per distinct instant within the horizon. */
  at(runAt: number): void;
  clear(): void;
}

export function createDueWakeups(wake: () => Promise<unknown>, horizonMs = 5 * 60_000): DueWakeups {
  const timers = new Map<number, NodeJS.Timeout>();
  return {
    at(runAt) {
      const delay = runAt - Date.now();
      if (delay <= 0 || delay > horizonMs || timers.has(runAt)) return;
      const timer = setTimeout(() => {
        timers.delete(runAt);
        wake().catch(() => undefined);
      }, delay);
      timer.unref();
      timers.set(runAt, timer);
    },
    clear() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
