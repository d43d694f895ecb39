import { describe, expect, it } from 'vitest';
import { startPolling } from './polling-source';
import type { SourceContext } from './types';

function context(controller: AbortController): SourceContext<unknown, unknown> {
  let position: string | null = null;
  const noop = () => undefined;
  return {
    params: {},
    credential: {},
    signal: controller.signal,
    log: { debug: noop, info: noop, warn: noop, error: noop },
    deliver: async () => undefined,
    capacity: 4,
    cursor: { get: async () => position, set: async (p) => void (position = p) },
    consumerName: 'test',
    reportError: noop,
    reconnect: noop,
  };
}

describe('startPolling', () => {
  it('a wake that arrives while a fetch runs is not lost: the next poll follows at once, not after the interval', async () => {
    const controller = new AbortController();
    let wake: () => void = () => undefined;
    const fetches: number[] = [];
    const handle = await startPolling(context(controller), {
      intervalMs: 3_600_000, // an hour: only a wake can bring the second fetch
      initialCursor: async () => null,
      subscribe: async (w) => {
        wake = w;
        return async () => undefined;
      },
      fetch: async () => {
        fetches.push(Date.now());
        // The NOTIFY lands while this query runs (its row was not visible to it yet).
        if (fetches.length === 1) wake();
        return [];
      },
    });
    await expect.poll(() => fetches.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(2);
    controller.abort();
    await handle.close();
  });
});
