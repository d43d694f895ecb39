/**
 * Issue 20, fair under overload: past the backlog high-water mark a webhook answers 503 OUT_ERR_BACKLOG_FULL with
 * Retry-After and records nothing; once runners drain the backlog, webhooks are accepted again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLimits, DEFAULT_LIMITS } from '@outrun/config';
import { createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, eventually, startListener } from './fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const unlimited = createLimits({ ...DEFAULT_LIMITS, webhookRateLimit: { rps: 1e6, burst: 1e6 }, webhookWorkspaceRateLimit: { rps: 1e6, burst: 1e6 } });

async function setup(highWater: number) {
  const temp = await createTempSqliteStore();
  const queue = createMemoryQueue();
  cleanups.push(() => temp.cleanup(), () => queue.close());
  const running = await startListener({ store: temp.store, queue, options: { limits: unlimited, backlogHighWater: highWater } });
  cleanups.push(() => running.close());
  const ws = (await temp.store.workspaces.createWorkspace({ name: 'flooded' })).id;
  await createWorkflow(temp.store, ws, [{ id: 'open', type: 'webhook' }]);
  await running.listener.reload();
  const post = async (body = '{}') => {
    const res = await fetch(`${running.url}/webhook/${ws}/open`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as { error?: { code: string } } };
  };
  const recorded = async () => (await temp.store.runs.listRuns(ws, { limit: 500 })).items.length;
  return { queue, post, recorded, running };
}

describe('webhook backlog high-water mark', () => {
  it('refuses past the mark with 503 + Retry-After (nothing recorded), even for requests arriving together', async () => {
    const { queue, post, recorded } = await setup(20);
    // 60 at once: every admission counts before its run is written, so they cannot all pass one sample
    const answers = await Promise.all(Array.from({ length: 60 }, () => post()));
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 503);
    expect(accepted).toHaveLength(20);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect(r.json.error?.code).toBe('OUT_ERR_BACKLOG_FULL');
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(await recorded()).toBe(20);
    expect((await queue.counts()).waiting).toBe(20);
    // still full after the guard has sampled the queue again
    await new Promise((r) => setTimeout(r, 300));
    expect((await post()).status).toBe(503);
    expect(await recorded()).toBe(20);
  });

  it('accepts again once runners drain the backlog', async () => {
    const { queue, post, recorded } = await setup(5);
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(503);
    await queue.consume(async () => ({ type: 'done' }), { concurrency: 10 });
    await eventually(async () => (await post()).status === 202, 5000, 'a webhook accepted after the drain');
    expect(await recorded()).toBe(6);
  });

  it('0 turns the mark off', async () => {
    const { post, recorded } = await setup(0);
    const answers = await Promise.all(Array.from({ length: 30 }, () => post()));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(await recorded()).toBe(30);
  });
});
