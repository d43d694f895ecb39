/**
 * Chaos: a private `redis-server` (never the shared one) is stopped for 10 s while webhooks keep arriving at a
 * listener process (runner process consuming, one SQLite file). Stopping it loses every key (no persistence), so
 * jobs queued before the outage are gone too.
 *
 * Guarantees checked: every answer is 202 or 503 with a code — never a 2xx for an event that was not recorded and
 * queued; a 503 leaves no run behind; every 202 has a run, and every one of them completes once Redis is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServerHandle } from '@outrun/testing/redis';
import { activeWorkflow, allRuns, allTerminal, openChaosWorld, type ChaosWorld } from './chaos-world';

let redis: RedisServerHandle;
let world: ChaosWorld;
beforeAll(async () => {
  redis = await startRedisServer();
  world = await openChaosWorld(redis.url, 'chaosredis');
});
afterAll(async () => {
  await world?.close();
  await redis?.stop();
});

interface Outcome { i: number; status: number; code?: string; runId?: string; at: number }

describe('chaos: Redis stopped for 10 s under webhook load', () => {
  it('answers 503 for what it cannot queue, and every 202 completes after Redis returns', async () => {
    const { store } = world;
    const ws = (await store.workspaces.createWorkspace({ name: 'outage' })).id;
    await activeWorkflow(store, ws, [{ id: 'hook', type: 'webhook', config: {} }]);
    await world.spawn('runner', { RUNNER_CONCURRENCY: '32', RUNNER_RECONCILE_MS: '1000' });
    const listener = await world.spawn('listener');

    const outcomes: Outcome[] = [];
    let next = 0;
    let sending = true;
    const sender = async () => {
      while (sending) {
        const i = next++;
        const res = await fetch(`${listener.url}/webhook/${ws}/hook`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }), signal: AbortSignal.timeout(20_000),
        });
        const body = (await res.json()) as { runId?: string; error?: { code: string } };
        outcomes.push({ i, status: res.status, at: Date.now(), ...(body.runId ? { runId: body.runId } : {}), ...(body.error ? { code: body.error.code } : {}) });
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const senders = Array.from({ length: 6 }, () => sender());
    await new Promise((r) => setTimeout(r, 2000));
    const stoppedAt = Date.now();
    await redis.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    await redis.restart();
    const restartedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    sending = false;
    await Promise.all(senders);

    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    expect([...byStatus.keys()].sort()).toEqual([202, 503]);
    const refused = outcomes.filter((o) => o.status === 503);
    expect(refused.every((o) => typeof o.code === 'string' && o.code.startsWith('OUT_ERR_'))).toBe(true);
    expect(refused.every((o) => o.at >= stoppedAt)).toBe(true);
    const accepted = outcomes.filter((o) => o.status === 202);
    expect(accepted.some((o) => o.at < stoppedAt)).toBe(true);
    expect(accepted.some((o) => o.at > restartedAt)).toBe(true);

    const runs = await allTerminal(store, ws, 90_000);
    // Exactly the accepted events have runs: a 503 left nothing behind, no 202 was lost.
    expect(runs.map((r) => r.id).sort()).toEqual(accepted.map((o) => o.runId).sort());
    expect(runs.filter((r) => r.status !== 'completed').map((r) => `${r.id} ${r.status}`)).toEqual([]);
    expect((await allRuns(store, ws)).length).toBe(accepted.length);
    const during = outcomes.filter((o) => o.at >= stoppedAt && o.at < restartedAt);
    console.info(
      `redis outage: ${outcomes.length} webhooks, ${accepted.length} accepted (all completed), ${refused.length} refused with 503 ` +
        `(${[...new Set(refused.map((o) => o.code))].join(', ')}); during the 10 s outage ${during.filter((o) => o.status === 202).length} accepted / ${during.length}`,
    );
  });
});
