/** One behaviour suite for every `EventBus` (memory, Redis pub/sub). */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus } from '../ports';
import { waitFor } from './run-queue-contract';

export function eventBusContract(name: string, make: () => Promise<{ bus: EventBus; cleanup(): Promise<void> }>): void {
  describe(`EventBus contract: ${name}`, () => {
    let current: { bus: EventBus; cleanup(): Promise<void> } | undefined;
    afterEach(async () => {
      await current?.bus.close();
      await current?.cleanup();
    });

    it('fans a message out to every subscriber of its channel only, until they unsubscribe', async () => {
      current = await make();
      const { bus } = current;
      const a: unknown[] = [];
      const b: unknown[] = [];
      const other: unknown[] = [];
      const offA = await bus.subscribe('run:1', (m) => a.push(m));
      await bus.subscribe('run:1', (m) => b.push(m));
      await bus.subscribe('run:2', (m) => other.push(m));
      await bus.publish('run:1', { type: 'status', status: 'running' });
      await waitFor(() => a.length === 1 && b.length === 1, 5000, 'both subscribers');
      await offA();
      await bus.publish('run:1', { n: 2 });
      await bus.publish('run:2', { n: 3 });
      await waitFor(() => b.length === 2 && other.length === 1, 5000, 'second round');
      expect(a).toEqual([{ type: 'status', status: 'running' }]);
      expect(b).toEqual([{ type: 'status', status: 'running' }, { n: 2 }]);
      expect(other).toEqual([{ n: 3 }]);
    });
  });
}
