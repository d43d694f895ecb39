/**
 * Chaos: `kill -9` of the listener process (SQLite file, BullMQ on the shared Redis under a private prefix, a runner
 * process consuming) in the middle of 1,000 schedule fires, and in the middle of a data-change stream. After the
 * restart every occurrence and every change has exactly one run, and every run completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_REDIS_URL } from '@outrun/testing/redis';
import type { ServiceProcess } from '@outrun/testing/service-process';
import { activeWorkflow, allRuns, allTerminal, openChaosWorld, until, type ChaosWorld } from './chaos-world';

let world: ChaosWorld;
beforeAll(async () => {
  world = await openChaosWorld(SHARED_REDIS_URL, 'chaoslst');
  await world.spawn('runner', { RUNNER_CONCURRENCY: '32' });
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
});
