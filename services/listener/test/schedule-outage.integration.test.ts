/**
 * A queue outage longer than the scheduler's first retries must not lose schedule occurrences: a start that fails
 * with a transient (operational) error is retried until it succeeds or the listener closes (runs are keyed by
 * occurrence, so retrying is idempotent). Found by scripts/chaos/redis-outage.chaos.test.ts: with Redis stopped
 * for 10 s, occurrences 1.7–7.7 s into the outage had no run (the scheduler gave up after 5 attempts, ~7.5 s).
 * And a listener stopped while older occurrences are still retrying must not book a newer one as the last fired
 * occurrence: the next start's catch-up would skip the older ones (found by the same chaos test).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '@outrun/engine';
import type { RunQueue } from '@outrun/queue';
import { createMemoryQueue } from '@outrun/queue/memory';
import { ErrorCode, OperationalError } from '@outrun/schemas';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, startListener, type RunningListener } from './fixtures';

let temp: TempSqliteStore | undefined;
let running: RunningListener | undefined;
afterEach(async () => {
  await running?.close();
  await temp?.cleanup();
  running = undefined;
  temp = undefined;
});

/** A queue that refuses every enqueue while `down` is set, as BullMQ does while Redis is unreachable. */
function flakyQueue(inner: RunQueue): { queue: RunQueue; setDown(down: boolean): void } {
  let down = false;
  const refuse = () => Promise.reject(new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The run queue (Redis) is unavailable.'));
  const queue = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if ((prop === 'enqueue' || prop === 'enqueueMany') && typeof value === 'function') {
        return (...args: unknown[]) => (down ? refuse() : (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      }
      return value;
    },
  });
  return { queue, setDown: (d) => (down = d) };
}

async function occurrencesOf(ws: string): Promise<number[]> {
  const runs = (await temp!.store.runs.listRuns(ws, { limit: 500 })).items;
  return runs.map((r) => Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt)).sort((a, b) => a - b);
}

describe('schedules during a queue outage', () => {
  it('a 30 s outage loses no occurrence: each one has exactly one run once the queue is back', async () => {
    temp = await createTempSqliteStore();
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'outage' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'tick', type: 'schedule', config: { cron: '* * * * * *', timezone: 'UTC', catchUp: 'none' } }]);
    const clock = createFakeClock({ start: Date.parse('2026-01-01T00:00:00.500Z') });
    const flaky = flakyQueue(createMemoryQueue({ clock }));
    running = await startListener({ store: temp.store, clock, queue: flaky.queue, options: { scheduleLeadMs: 0 } });
    const settle = () => new Promise((r) => setTimeout(r, 15));
    const step = async (seconds: number) => {
      for (let i = 0; i < seconds * 4; i++) {
        await clock.advance(250);
        await settle();
      }
    };
    flaky.setDown(true);
    await step(30);
    flaky.setDown(false);
    await step(15);
    const runs = (await temp.store.runs.listRuns(ws, { limit: 500 })).items;
    const times = runs.map((r) => Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt)).sort((a, b) => a - b);
    const first = Date.parse('2026-01-01T00:00:01.000Z');
    const last = times.at(-1)!;
    expect(last).toBeGreaterThanOrEqual(first + 40_000);
    const missing = [];
    for (let t = first; t <= last; t += 1000) if (!times.includes(t)) missing.push(new Date(t).toISOString());
    expect(missing).toEqual([]);
    expect(new Set(times).size).toBe(times.length);
  });

  it('stopped while older occurrences still retry: the next start catches them all up (catchUp: all)', async () => {
    temp = await createTempSqliteStore();
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'outage-restart' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'tick', type: 'schedule', config: { cron: '* * * * * *', timezone: 'UTC', catchUp: 'all' } }]);
    const clock = createFakeClock({ start: Date.parse('2026-01-01T00:00:00.500Z') });
    const flaky = flakyQueue(createMemoryQueue({ clock }));
    running = await startListener({ store: temp.store, clock, queue: flaky.queue, options: { scheduleLeadMs: 0 } });
    const settle = () => new Promise((r) => setTimeout(r, 15));
    for (let i = 0; i < 12; i++) {
      await clock.advance(250);
      await settle();
    }
    expect((await occurrencesOf(ws)).length).toBeGreaterThanOrEqual(2); // it fired before: a last fired occurrence exists
    flaky.setDown(true);
    for (let i = 0; i < 40; i++) {
      await clock.advance(250);
      await settle();
    }
    // Back up just before an occurrence: it is recorded at once while older ones sleep in their backoff.
    flaky.setDown(false);
    await clock.advance(600);
    await settle();
    const beforeStop = await occurrencesOf(ws);
    expect(beforeStop.length).toBeGreaterThan(0);
    await running.close();
    running = undefined;
    const recorded = await occurrencesOf(ws);
    const newest = recorded.at(-1)!;
    expect(recorded.length, 'some older occurrences were still retrying at the stop').toBeLessThan((newest - Date.parse('2026-01-01T00:00:01.000Z')) / 1000 + 1);

    running = await startListener({ store: temp.store, clock, queue: createMemoryQueue({ clock }), options: { scheduleLeadMs: 0 } });
    for (let i = 0; i < 8; i++) {
      await clock.advance(250);
      await settle();
    }
    const times = await occurrencesOf(ws);
    const missing = [];
    for (let t = Date.parse('2026-01-01T00:00:01.000Z'); t <= newest; t += 1000) if (!times.includes(t)) missing.push(new Date(t).toISOString());
    expect(missing).toEqual([]);
    expect(new Set(times).size).toBe(times.length);
  });
});
