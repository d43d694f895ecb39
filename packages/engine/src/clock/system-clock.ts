import type { Random } from '../types';

/** The real clock lives with the `Clock` port in `@outrun/schemas` (one clock for every package). */
export { systemClock } from '@outrun/schemas';

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

