import type { Clock, Random } from '../types';

/** The reason a sleep rejects with when its signal carries none. */
function abortReason(signal: AbortSignal): unknown {
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

/** `Math.random` as the engine's `Random` port (production jitter). */
export const mathRandom: Random = () => Math.random();

/**
 * A seeded pseudo-random source (mulberry32) for reproducible jitter in tests and benchmarks.
 * @param seed any 32-bit integer
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export { abortReason };
