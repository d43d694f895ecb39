/**
 * Issue 20: event sources slow down instead of being refused. While the listener's run backlog is at its mark
 * (webhooks answer 503), a source's next delivery waits — the event stays with the source, unacknowledged — and
 * goes on once runners drain the backlog. Nothing is dropped or recorded twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLimits, DEFAULT_LIMITS } from '@outrun/config';
import { defineConnector, defineTrigger, type SourceContext } from '@outrun/connector-kit';
import { createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, eventually, startListener } from './fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A source the test feeds by hand: `push` hands an event over and resolves when the listener acks it. */
function handFedConnector() {
  let ctx: SourceContext<unknown, unknown> | undefined;
  const connector = defineConnector({
    name: 'handfed',
    version: '1.0.0',
    label: 'Hand-fed',
    description: 'Events pushed by the test.',
    category: 'other',
    icon: 'zap',
    actions: {},
    triggers: {
      events: defineTrigger({
        label: 'Events',
        description: 'Events pushed by the test.',
        params: z.object({}),
        async open(c) {
          ctx = c as SourceContext<unknown, unknown>;
          return { close: async () => undefined };
        },
      }),
    },
  });
  return { connector, opened: () => ctx !== undefined, push: (id: string) => ctx!.deliver({ id, payload: { id } }) };
}

const unlimited = createLimits({ ...DEFAULT_LIMITS, webhookRateLimit: { rps: 1e6, burst: 1e6 }, webhookWorkspaceRateLimit: { rps: 1e6, burst: 1e6 } });

describe('event sources at the backlog mark', () => {
  it('wait while the backlog is full (nothing dropped), and go on once it drains', async () => {
    const temp = await createTempSqliteStore();
    const queue = createMemoryQueue();
    cleanups.push(() => temp.cleanup(), () => queue.close());
    const source = handFedConnector();
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'sources' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'feed', type: 'event_source', config: { source: 'handfed.events@1', params: {}, capacity: 100 } }]);
    const running = await startListener({ store: temp.store, queue, connectors: [source.connector], options: { limits: unlimited, backlogHighWater: 2 } });
    cleanups.push(() => running.close());
    await eventually(async () => source.opened(), 5000, 'the source opened');

    await source.push('e1');
    await source.push('e2');
    expect((await queue.counts()).waiting).toBe(2);
    await new Promise((r) => setTimeout(r, 300)); // the guard has sampled the queue: the backlog is at the mark
    let acked = false;
    const third = source.push('e3').then(() => (acked = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(acked).toBe(false); // held, not refused: the source keeps it unacknowledged
    expect((await temp.store.runs.listRuns(ws, { limit: 10 })).items).toHaveLength(2);

    await queue.consume(async () => ({ type: 'done' }), { concurrency: 10 });
    await third;
    expect((await temp.store.runs.listRuns(ws, { limit: 10 })).items).toHaveLength(3);
  });
});
