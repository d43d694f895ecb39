import { describe, expect, it } from 'vitest';
import { createLogger } from '@outrun/config';
import { CANCELS_CHANNEL, statusEvent, type EventBus } from '@outrun/queue';
import { createMemoryEventBus } from '@outrun/queue/memory';
import { createCancelWatcher } from './cancel-watcher';

const logger = createLogger({ name: 'test', level: 'silent' });
const notice = (runId: string) => statusEvent({ id: runId, workspaceId: 'ws', workflowId: 'wf' }, 'cancelled', '2026-01-01T00:00:00.000Z');
const tick = () => new Promise((r) => setImmediate(r));

describe('createCancelWatcher', () => {
  it('aborts the run a notice names, not the others, and forgets released runs', async () => {
    const bus = createMemoryEventBus();
    const watcher = createCancelWatcher(bus, logger);
    await watcher.start(1000);
    const a = watcher.watch('a');
    const b = watcher.watch('b');
    await bus.publish(CANCELS_CHANNEL, notice('a'));
    await tick();
    expect(a.signal.aborted).toBe(true);
    expect(b.signal.aborted).toBe(false);
    b.release();
    await bus.publish(CANCELS_CHANNEL, notice('b'));
    await tick();
    expect(b.signal.aborted).toBe(false);
    await watcher.close();
  });

  it('subscribes once for any number of runs', async () => {
    const bus = createMemoryEventBus();
    let subscribes = 0;
    const counting: EventBus = { ...bus, subscribe: (channel, listener) => (subscribes++, bus.subscribe(channel, listener)) };
    const watcher = createCancelWatcher(counting, logger);
    await watcher.start(1000);
    for (let i = 0; i < 50; i++) watcher.watch(`r${i}`).release();
    expect(subscribes).toBe(1);
    await watcher.close();
  });

  it('does not hold the start back on a bus that does not answer; a failed subscription is tried again', async () => {
    let attempts = 0;
    const down: EventBus = {
      publish: async () => undefined,
      subscribe: () => (attempts++ === 0 ? new Promise((_, reject) => setTimeout(() => reject(new Error('down')), 100)) : Promise.resolve(async () => undefined)),
      close: async () => undefined,
    };
    const watcher = createCancelWatcher(down, logger);
    const t0 = Date.now();
    await watcher.start(20);
    expect(Date.now() - t0).toBeLessThan(90);
    await new Promise((r) => setTimeout(r, 150)); // the first attempt fails
    watcher.watch('r').release(); // the next run subscribes again
    expect(attempts).toBe(2);
    await watcher.close();
  });
});
