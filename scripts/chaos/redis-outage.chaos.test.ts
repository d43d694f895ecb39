/**
 * Chaos: a private `redis-server` (never the shared one) is stopped for 10 s while webhooks keep arriving at a
 * listener process, directly and through a gateway process (runner process consuming, one SQLite file), while 20
 * schedules fire every second and documents are inserted into a watched collection. Stopping it loses every key
 * (no persistence), so jobs queued before the outage are gone too.
 *
 * Guarantees checked: every webhook answer is 202 or 503 with a code — never a 2xx for an event that was not
 * recorded and queued; a 503 leaves no run behind; every 202 has a run, and every one completes once Redis is back.
 * Every schedule occurrence from the first to the last has exactly one run, and so has every inserted document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '@outrun/schemas';
import { startRedisServer, type RedisServerHandle } from '@outrun/testing/redis';
import { UNLIMITED_WEBHOOK, activeWorkflow, allRuns, allTerminal, openChaosWorld, until, type ChaosWorld } from './chaos-world';

const SCHEDULES = 20;

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

/** Per schedule: duplicate or missing occurrences between its first and last run, or no run after Redis returned. */
function scheduleGaps(runs: RunSummary[], stoppedAt: number, restartedAt: number): string[] {
  const gaps: string[] = [];
  for (let i = 0; i < SCHEDULES; i++) {
    const times = runs.filter((r) => r.triggeredBy.triggerId === `tick-${i}`).map((r) => Date.parse((r.triggeredBy.payload as { scheduledAt: string }).scheduledAt)).sort((a, b) => a - b);
    const expected = times.length === 0 ? 0 : (times.at(-1)! - times[0]!) / 1000 + 1;
    const missing = Array.from({ length: expected }, (_, k) => times[0]! + k * 1000).filter((t) => !times.includes(t)).map((t) => `${((t - stoppedAt) / 1000).toFixed(1)} s`);
    if (new Set(times).size !== times.length || missing.length > 0 || (times.at(-1) ?? 0) < restartedAt) {
      gaps.push(`tick-${i}: ${times.length} runs; missing at ${missing.join(', ')} after the stop (Redis back at ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s)`);
    }
  }
  return gaps;
}

interface Outcome { i: number; status: number; code?: string; runId?: string; at: number }

describe('chaos: Redis stopped for 10 s under webhook load', () => {
  it('answers 503 for what it cannot queue, and every 202 completes after Redis returns', async () => {
    const { store } = world;
    const ws = (await store.workspaces.createWorkspace({ name: 'outage' })).id;
    await activeWorkflow(store, ws, [{ id: 'hook', type: 'webhook', config: { ...UNLIMITED_WEBHOOK } }]);
    const scheduled = (await store.workspaces.createWorkspace({ name: 'outage schedules' })).id;
    for (let i = 0; i < SCHEDULES; i++) {
      await activeWorkflow(store, scheduled, [{ id: `tick-${i}`, type: 'schedule', config: { cron: '* * * * * *', timezone: 'UTC', catchUp: 'all' } }], `tick ${i}`);
    }
    const watched = (await store.workspaces.createWorkspace({ name: 'outage changes' })).id;
    await activeWorkflow(store, watched, [{ id: 'changes', type: 'data_change', config: { collection: 'events' } }]);
    await world.spawn('runner', { RUNNER_CONCURRENCY: '32', RUNNER_RECONCILE_MS: '1000' });
    const listener = await world.spawn('listener');
    const gateway = await world.spawn('api', { LISTENER_SERVICE_URL: listener.url, API_RATE_LIMIT_RPS: '100000', API_RATE_LIMIT_BURST: '100000' });
    let inserted = 0;

    const outcomes: Outcome[] = [];
    let next = 0;
    let sending = true;
    const sender = async (base: string) => {
      while (sending) {
        const i = next++;
        const res = await fetch(`${base}/webhook/${ws}/hook`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }), signal: AbortSignal.timeout(20_000),
        });
        const body = (await res.json()) as { runId?: string; error?: { code: string } };
        outcomes.push({ i, status: res.status, at: Date.now(), ...(body.runId ? { runId: body.runId } : {}), ...(body.error ? { code: body.error.code } : {}) });
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const senders = Array.from({ length: 6 }, (_, n) => sender(n % 2 === 0 ? listener.url : gateway.url));
    const inserting = (async () => {
      while (sending) {
        await store.data.insert(watched, 'events', { i: inserted++ });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise((r) => setTimeout(r, 2000));
    const stoppedAt = Date.now();
    await redis.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    await redis.restart();
    const restartedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    sending = false;
    await Promise.all([...senders, inserting]);
    // The change follower and the schedules retry with backoff while Redis is down (up to 5 s / 2 s): let them work
    // through the backlog, then stop the listener so no more schedules fire; what was recorded must still complete.
    await until(async () => (await allRuns(store, watched)).length >= inserted, 60_000, `${inserted} data-change runs`);
    await until(async () => scheduleGaps(await allRuns(store, scheduled), stoppedAt, restartedAt).length === 0, 30_000, 'every schedule occurrence to have a run').catch(() => undefined);
    listener.kill('SIGTERM');
    await listener.exited;

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

    // Data changes: every inserted document has exactly one run, all completed.
    const changeRuns = await allTerminal(store, watched, 90_000);
    const documents = changeRuns.map((r) => (r.triggeredBy.payload as { document: { i: number } }).document.i).sort((a, b) => a - b);
    expect(documents).toEqual(Array.from({ length: inserted }, (_, i) => i));
    expect(changeRuns.every((r) => r.status === 'completed')).toBe(true);

    // Schedules: per schedule, every occurrence between the first and the last has exactly one run, all completed.
    const scheduleRuns = await allTerminal(store, scheduled, 90_000);
    expect(scheduleRuns.filter((r) => r.status !== 'completed').map((r) => `${r.id} ${r.status}`)).toEqual([]);
    const gaps = scheduleGaps(scheduleRuns, stoppedAt, restartedAt);
    expect(gaps).toEqual([]);
    const during = outcomes.filter((o) => o.at >= stoppedAt && o.at < restartedAt);
    console.info(
      `redis outage: ${outcomes.length} webhooks, ${accepted.length} accepted (all completed), ${refused.length} refused with 503 ` +
        `(${[...new Set(refused.map((o) => o.code))].join(', ')}); during the 10 s outage ${during.filter((o) => o.status === 202).length} accepted / ${during.length}; ` +
        `${scheduleRuns.length} schedule runs gapless, ${inserted} data changes each with one run`,
    );
  });
});
