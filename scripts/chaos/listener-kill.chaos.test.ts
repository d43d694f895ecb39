/**
 * Chaos: `kill -9` of the listener process (SQLite file, BullMQ on the shared Redis under a private prefix, a runner
 * process consuming) in the middle of 1,000 schedule fires, in the middle of a data-change stream, and under webhook
 * load through the gateway. After the restart every occurrence and every change has exactly one run; every webhook
 * its sender saw accepted has one, and so has every event its sender retried (same Idempotency-Key) after a
 * refusal; every run completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_REDIS_URL } from '@outrun/testing/redis';
import type { ServiceProcess } from '@outrun/testing/service-process';
import { UNLIMITED_WEBHOOK, activeWorkflow, allRuns, allTerminal, openChaosWorld, until, type ChaosWorld } from './chaos-world';

let world: ChaosWorld;
beforeAll(async () => {
  world = await openChaosWorld(SHARED_REDIS_URL, 'chaoslst');
  // Reconcile every 2 s: a run recorded by a listener killed before it could enqueue the job is picked up.
  await world.spawn('runner', { RUNNER_CONCURRENCY: '32', RUNNER_RECONCILE_MS: '2000' });
});
afterAll(async () => {
  await world?.close();
});

async function killHard(p: ServiceProcess): Promise<void> {
  p.kill('SIGKILL');
  await p.exited;
}

describe('chaos: kill -9 the listener', () => {
  it('during 1,000+ schedule fires (100 schedules every second): each occurrence has exactly one run', async () => {
    const { store } = world;
    const ws = (await store.workspaces.createWorkspace({ name: 'schedules' })).id;
    const SCHEDULES = 100;
    for (let i = 0; i < SCHEDULES; i++) {
      await activeWorkflow(store, ws, [{ id: `tick-${i}`, type: 'schedule', config: { cron: '* * * * * *', timezone: 'UTC', catchUp: 'all' } }], `every second ${i}`);
    }
    let listener = await world.spawn('listener');
    const count = async () => (await allRuns(store, ws)).length;
    await until(async () => (await count()) >= 450, 30_000, '450 schedule runs before the kill');
    await killHard(listener);
    const atKill = await count();
    await new Promise((r) => setTimeout(r, 2000)); // ~200 occurrences are missed while nothing listens
    listener = await world.spawn('listener');
    await until(async () => (await count()) >= 1100, 60_000, '1,100 schedule runs after the restart');
    await killHard(listener);

    const runs = await allTerminal(store, ws, 90_000);
    expect(runs.filter((r) => r.status !== 'completed').map((r) => `${r.id} ${r.status}`)).toEqual([]);
    const byTrigger = new Map<string, number[]>();
    for (const run of runs) {
      const at = Date.parse((run.triggeredBy.payload as { scheduledAt: string }).scheduledAt);
      byTrigger.set(run.triggeredBy.triggerId!, [...(byTrigger.get(run.triggeredBy.triggerId!) ?? []), at]);
    }
    expect(byTrigger.size).toBe(SCHEDULES);
    const problems: string[] = [];
    for (const [trigger, times] of byTrigger) {
      times.sort((a, b) => a - b);
      const distinct = new Set(times).size;
      if (distinct !== times.length) problems.push(`${trigger}: ${times.length - distinct} duplicate occurrences`);
      const expected = (times.at(-1)! - times[0]!) / 1000 + 1;
      if (distinct !== expected) problems.push(`${trigger}: ${expected - distinct} occurrences without a run between ${new Date(times[0]!).toISOString()} and ${new Date(times.at(-1)!).toISOString()}`);
    }
    expect(problems).toEqual([]);
    console.info(`listener kill -9 (schedules): ${runs.length} runs, ${atKill} before the kill, every one of ${SCHEDULES} schedules gapless and without duplicates`);
  });

  it('during a data-change stream: each change has exactly one run', async () => {
    const { store } = world;
    const ws = (await store.workspaces.createWorkspace({ name: 'changes' })).id;
    await activeWorkflow(store, ws, [{ id: 'all-events', type: 'data_change', config: { collection: 'events' } }]);
    let listener = await world.spawn('listener');
    const TOTAL = 400;
    const writing = (async () => {
      for (let i = 0; i < TOTAL; i++) {
        await store.data.insert(ws, 'events', { i });
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await until(async () => (await allRuns(store, ws)).length >= 100, 30_000, '100 data-change runs before the kill');
    await killHard(listener);
    await new Promise((r) => setTimeout(r, 500));
    listener = await world.spawn('listener');
    await writing;
    await until(async () => (await allRuns(store, ws)).length >= TOTAL, 60_000, `${TOTAL} data-change runs`);
    const runs = await allTerminal(store, ws, 60_000);
    await killHard(listener);
    const final = await allRuns(store, ws);
    const indexes = final.map((r) => (r.triggeredBy.payload as { document: { i: number } }).document.i).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
  });

  it('under webhook load through the gateway: every accepted event has exactly one run (senders retry with the same key)', async () => {
    const { store } = world;
    const ws = (await store.workspaces.createWorkspace({ name: 'webhooks' })).id;
    await activeWorkflow(store, ws, [{ id: 'hook', type: 'webhook', config: { ...UNLIMITED_WEBHOOK } }]);
    let listener = await world.spawn('listener');
    const gateway = await world.spawn('api', { LISTENER_SERVICE_URL: listener.url, API_RATE_LIMIT_RPS: '100000', API_RATE_LIMIT_BURST: '100000' });
    // The gateway proxies to a fixed URL: the restarted listener must come back on the same port.
    const port = listener.port;
    const statuses = new Map<number, number>();
    const accepted = new Map<string, string>();
    let sending = true;
    let next = 0;
    /** One event: posted until it is accepted (202, or 200 for a replay of an accepted key), as a careful sender does. */
    const deliver = async (key: string) => {
      for (;;) {
        const res = await fetch(`${gateway.url}/webhook/${ws}/hook`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ key }), signal: AbortSignal.timeout(20_000),
        }).catch(() => null);
        const status = res?.status ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const body = (await res?.json().catch(() => null)) as { runId?: string; error?: { code?: string } } | null;
        if (status >= 200 && status < 300) {
          expect(body?.runId).toBeTruthy();
          accepted.set(key, body!.runId!);
          return;
        }
        expect([0, 502, 503], `${status} ${JSON.stringify(body)}`).toContain(status);
        if (status !== 0) expect(body?.error?.code).toMatch(/^OUT_ERR_/);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const senders = Array.from({ length: 6 }, async () => {
      while (sending) await deliver(`evt-${next++}`);
    });
    await new Promise((r) => setTimeout(r, 1500));
    await killHard(listener);
    await new Promise((r) => setTimeout(r, 1000));
    listener = await world.spawnOnPort('listener', port);
    await new Promise((r) => setTimeout(r, 1500));
    sending = false;
    await Promise.all(senders);
    await killHard(listener);

    const runs = await allTerminal(store, ws, 60_000);
    expect(runs.filter((r) => r.status !== 'completed').map((r) => `${r.id} ${r.status}`)).toEqual([]);
    const byKey = new Map<string, number>();
    for (const run of runs) {
      const key = (run.triggeredBy.payload as { body: { key: string } }).body.key;
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
    }
    expect([...byKey.values()].filter((n) => n !== 1)).toEqual([]);
    expect([...accepted.keys()].filter((k) => byKey.get(k) !== 1)).toEqual([]);
    for (const run of runs) {
      const key = (run.triggeredBy.payload as { body: { key: string } }).body.key;
      expect(accepted.get(key), `run ${run.id} of ${key}`).toBe(run.id);
    }
    expect(statuses.get(202) ?? 0).toBeGreaterThan(50);
    console.info(`listener kill -9 (webhooks through the gateway): ${accepted.size} events, answers ${JSON.stringify(Object.fromEntries(statuses))}; each has exactly one completed run`);
  });
});
