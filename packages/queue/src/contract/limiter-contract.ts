/** One behaviour suite for every `WorkflowLimiter` (memory, Redis). */
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowLimiter } from '../limiter';

export function workflowLimiterContract(name: string, make: () => Promise<{ limiter: WorkflowLimiter; cleanup(): Promise<void> }>): void {
  describe(`WorkflowLimiter contract: ${name}`, () => {
    let current: { limiter: WorkflowLimiter; cleanup(): Promise<void> } | undefined;
    const open = async () => (current = await make()).limiter;
    afterEach(async () => {
      await current?.limiter.close();
      await current?.cleanup();
    });

    it('admits at most `limit` holders per key, and a holder again', async () => {
      const limiter = await open();
      expect(await limiter.tryAcquire('wf', 'a', 2, 1)).toBe(true);
      expect(await limiter.tryAcquire('wf', 'b', 2, 2)).toBe(true);
      expect(await limiter.tryAcquire('wf', 'c', 2, 3)).toBe(false);
      expect(await limiter.tryAcquire('wf', 'a', 2, 1)).toBe(true);
      expect(await limiter.tryAcquire('other', 'c', 2, 3)).toBe(true);
      await limiter.release('wf', 'a');
      expect(await limiter.tryAcquire('wf', 'c', 2, 3)).toBe(true);
    });

    it('admits waiters in order once a slot frees', async () => {
      const limiter = await open();
      expect(await limiter.tryAcquire('wf', 'first', 1, 1)).toBe(true);
      expect(await limiter.tryAcquire('wf', 'w3', 1, 30)).toBe(false);
      expect(await limiter.tryAcquire('wf', 'w2', 1, 20)).toBe(false);
      await limiter.release('wf', 'first');
      // w3 asks first but w2 is ahead in line.
      expect(await limiter.tryAcquire('wf', 'w3', 1, 30)).toBe(false);
      expect(await limiter.tryAcquire('wf', 'w2', 1, 20)).toBe(true);
      await limiter.release('wf', 'w2');
      expect(await limiter.tryAcquire('wf', 'w3', 1, 30)).toBe(true);
    });

    it('a released waiter gives up its place', async () => {
      const limiter = await open();
      expect(await limiter.tryAcquire('wf', 'h', 1, 1)).toBe(true);
      expect(await limiter.tryAcquire('wf', 'cancelled', 1, 2)).toBe(false);
      expect(await limiter.tryAcquire('wf', 'next', 1, 3)).toBe(false);
      await limiter.release('wf', 'cancelled');
      await limiter.release('wf', 'h');
      expect(await limiter.tryAcquire('wf', 'next', 1, 3)).toBe(true);
    });
  });
}
