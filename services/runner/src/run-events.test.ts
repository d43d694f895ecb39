import { describe, expect, it } from 'vitest';
import { createMemoryEventBus } from '@outrun/queue/memory';
import type { EventBus } from '@outrun/queue';
import { subscribeWithin } from './run-events';

describe('subscribeWithin', () => {
  it('returns the subscription when the bus answers in time', async () => {
    const bus = createMemoryEventBus();
    const got: unknown[] = [];
    const off = await subscribeWithin(bus, 'c', (m) => got.push(m), 1000);
    expect(off).not.toBeNull();
    await bus.publish('c', 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual([1]);
  });

  it('gives up on a bus that does not answer, and drops the late subscription', async () => {
    let release: () => void = () => undefined;
    let unsubscribed = false;
    const slow: EventBus = {
      publish: async () => undefined,
      subscribe: () => new Promise((resolve) => (release = () => resolve(async () => void (unsubscribed = true)))),
      close: async () => undefined,
    };
    const t0 = Date.now();
    expect(await subscribeWithin(slow, 'c', () => undefined, 50)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(1000);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(unsubscribed).toBe(true);
  });
});
