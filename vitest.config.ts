import { defineConfig } from 'vitest/config';

/**
 * One root config so `npm test` runs every package's tests.
 * Unit tests are colocated `*.test.ts`; `*.integration.test.ts` talk to real Redis, SQLite files,
 * HTTP servers and child processes; `*.e2e.test.ts` drive a real browser or the whole stack.
 * Two cores here: workers are bounded so integration suites do not starve each other.
 */
// `*.chaos.test.ts` (minutes of kill -9 and outages) run apart: `npm run test:chaos` (vitest.chaos.config.ts).
const exclude = ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/*.chaos.test.*'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{packages,services,apps,scripts,connectors}/**/*.test.{ts,tsx}'],
          exclude: [...exclude, '**/*.integration.test.*', '**/*.e2e.test.*'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{packages,services,apps,scripts,connectors,bench}/**/*.{integration,e2e}.test.{ts,tsx}'],
          exclude,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // A browser re-renders on its own schedule: on a busy 2-core machine 1 s (the default) was seen too short.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
