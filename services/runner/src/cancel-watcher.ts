import type { Logger } from '@outrun/config';
import { CANCELS_CHANNEL, runEventBus, type EventBus } from '@outrun/queue';

/**
 * One subscription per runner process to the cancels channel (the run lifecycle announces every cancel there),
 * rather than a subscribe and an unsubscribe per run: runs in flight register here and a notice aborts the one it
 * names. Pub/sub is best effort, so the run handler still reads the run's status now and then between steps.
 */
export interface CancelWatcher {
  /** Subscribes; waits at most `ms` (a bus that is down or slow must not hold the runner's start back). */
  start(ms: number): Promise<void>;
  /** Watches one run until `release()`: `signal` aborts when its cancel is announced (or `abort()` is called). */
  watch(runId: string): WatchedRun;
  close(): Promise<void>;
}

export interface WatchedRun {
  signal: AbortSignal;
  /** Aborts now (a cancel seen another way: the run's status read from the store). */
  abort(): void;
  release(): void;
}

export function createCancelWatcher(events: EventBus, logger: Logger): CancelWatcher {
  const inFlight = new Map<string, AbortController>();
  let subscription: Promise<(() => Promise<void>) | null> | undefined;

  /** Subscribes once; after a failure the next run tries again (until then its store checks see a cancel). */
  const subscribe = (): Promise<(() => Promise<void>) | null> =>
    (subscription ??= runEventBus(events)
      .subscribe(CANCELS_CHANNEL, (event) => {
        if (event.type === 'status' && event.status === 'cancelled') inFlight.get(event.runId)?.abort();
      })
      .catch((err: unknown) => {
        logger.warn({ err }, 'cancel notices not subscribed; a cancelled run stops at its next status check');
        subscription = undefined;
        return null;
      }));

  return {
    async start(ms) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([subscribe(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
      clearTimeout(timer);
    },
    watch(runId) {
      void subscribe();
      const controller = new AbortController();
      inFlight.set(runId, controller);
      return {
        signal: controller.signal,
        abort: () => controller.abort(),
        release: () => void (inFlight.get(runId) === controller && inFlight.delete(runId)),
      };
    },
    async close() {
      const unsubscribe = await subscription;
      subscription = undefined;
      await unsubscribe?.().catch(() => undefined);
    },
  };
}
