/**
 * Issue 19, finding 6: webhooks had no default rate limit — one sender could fill the queue and the database.
 * Every trigger now has a bucket (its own `rateLimit` or the instance default) and every workspace one more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLimits, DEFAULT_LIMITS } from '@outrun/config';
import { systemClock, type Clock } from '@outrun/engine';
import { createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, startListener, type RunningListener } from './fixtures';

let nowMs = Date.parse('2026-01-01T00:00:00Z');
const clock: Clock = { now: () => nowMs, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(limits = createLimits()): Promise<{ temp: TempSqliteStore; running: RunningListener; post: (ws: string, trigger: string) => Promise<Response> }> {
  const temp = await createTempSqliteStore();
  const queue = createMemoryQueue();
  cleanups.push(() => temp.cleanup(), () => queue.close());
  const running = await startListener({ store: temp.store, queue, clock, options: { limits } });
  cleanups.push(() => running.close());
  const post = (ws: string, trigger: string) => fetch(`${running.url}/webhook/${ws}/${trigger}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  return { temp, running, post };
}

describe('default webhook rate limits', () => {
  it('a trigger without its own rateLimit gets the default: 250 posts at once → 200 accepted, then 429', async () => {
    const { temp, running, post } = await setup();
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'noisy' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'open', type: 'webhook' }]);
    await running.listener.reload();
    const statuses: number[] = [];
    for (let i = 0; i < 250; i++) {
      const res = await post(ws, 'open');
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(DEFAULT_LIMITS.webhookRateLimit.burst); // 200
    expect(statuses.slice(200).every((s) => s === 429)).toBe(true);
    nowMs += 1000; // 100 more per second
    expect((await post(ws, 'open')).status).toBe(202);
  });

  it('a workspace bucket bounds all its triggers together; other workspaces are not starved', async () => {
    const limits = createLimits({ ...DEFAULT_LIMITS, webhookRateLimit: { rps: 1, burst: 3 }, webhookWorkspaceRateLimit: { rps: 1, burst: 5 } });
    const { temp, running, post } = await setup(limits);
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'many triggers' })).id;
    const other = (await temp.store.workspaces.createWorkspace({ name: 'quiet' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'a', type: 'webhook' }, { id: 'b', type: 'webhook' }, { id: 'own', type: 'webhook', config: { rateLimit: { rps: 100, burst: 100 } } }]);
    await createWorkflow(temp.store, other, [{ id: 'c', type: 'webhook' }]);
    await running.listener.reload();
    const a = [];
    for (let i = 0; i < 4; i++) a.push((await post(ws, 'a')).status);
    expect(a).toEqual([202, 202, 202, 429]); // the trigger's default bucket
    const b = [];
    for (let i = 0; i < 3; i++) b.push((await post(ws, 'b')).status);
    expect(b).toEqual([202, 202, 429]); // the workspace's bucket (5) is spent across a and b
    const refused = await post(ws, 'own'); // its own generous rateLimit does not lift the workspace's
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'OUT_ERR_RATE_LIMITED', message: expect.stringContaining('workspace') as string });
    expect((await post(other, 'c')).status).toBe(202);
  });
});
