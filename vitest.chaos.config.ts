import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: fault cases with real processes (`kill -9`, a private Redis stopped, a full disk).
 * They take minutes, so `npm test` leaves them out and `.ci/run` runs them after it. One file at a time: each
 * one already runs several processes on a 2-core machine, and timing-sensitive faults must not starve each other.
 */
export default defineConfig({
  test: {
    name: 'chaos',
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    include: ['{packages,services,apps,scripts}/**/*.chaos.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**', '**/dist/**'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
