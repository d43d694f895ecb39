/**
 * Time as a port — the one time abstraction of every package (store, queue and run lifecycle, engine, listener,
 * runner, API): code that decides with the time asks an injected `Clock`, so tests control it. `systemClock` is the
 * real one; `createFakeClock` (fake-clock.ts) the test one.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The reason a sleep rejects with when its signal carries none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * The real clock: `Date.now` and `setTimeout`. `sleep` rejects with the signal's reason as soon as
 * the signal aborts, and clears its timer so an aborted wait keeps nothing alive.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
