import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@outrun/engine';
import { jobIdOf, resumeJob } from '@outrun/queue';
import { createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import type { Store } from '@outrun/store';
import { createWorkflow, eventually, startListener, type RunningListener } from './fixtures';

/** The queue id of a run's resume job at `at` (derived from the payload, as the lifecycle does). */
const resumeJobIdOf = (runId: string, at: number) => jobIdOf(resumeJob({ workspaceId: 'ws', runId }, at));

let temp: TempSqliteStore | undefined;
let running: RunningListener | undefined;

afterEach(async () => {
  await running?.close();
  await temp?.cleanup();
  running = undefined;
  temp = undefined;
});

async function scheduledRuns(store: Store, ws: string, triggerId?: string): Promise<string[]> {
  const page = await store.runs.listRuns(ws, { limit: 500 });
  return page.items
    .filter((r) => r.triggeredBy.type === 'schedule' && (triggerId === undefined || r.triggeredBy.triggerId === triggerId))
    .map((r) => (r.triggeredBy.payload as { scheduledAt: string }).scheduledAt)
    .sort();
}

async function setup(startIso: string, schedules: Array<{ id: string; cron: string; timezone: string; catchUp?: 'none' | 'latest' | 'all'; catchUpLimit?: number }>, lastFired?: Record<string, string>, leadMs?: number) {
  temp = await createTempSqliteStore();
  const ws = (await temp.store.workspaces.createWorkspace({ name: 'sched' })).id;
  await createWorkflow(temp.store, ws, schedules.map(({ id, ...config }) => ({ id, type: 'schedule', config })));
  for (const [triggerId, iso] of Object.entries(lastFired ?? {})) await temp.store.triggers.advanceLastFiredOccurrence(ws, triggerId, iso);
  const clock = createFakeClock({ start: Date.parse(startIso) });
  const queue = createMemoryQueue({ clock }); // delays run on real timers, measured from the fake clock's now
  running = await startListener({ store: temp.store, clock, queue, ...(leadMs === undefined ? {} : { options: { scheduleLeadMs: leadMs } }) });
  return { ws, clock, store: temp.store, queue };
}

const onWheel = async (n: number) => /listener_schedules_active\{[^}]*\} (\d+)/.exec((await running?.listener.metrics.getSingleMetricAsString('listener_schedules_active')) ?? '')?.[1] === String(n);
const flushed = () => new Promise((r) => setTimeout(r, 200)); // past the 50 ms statistics flush

/** Advances the fake clock and waits until `expected` runs exist (fires complete asynchronously). */
async function advanceAndExpect(clock: FakeClock, ms: number, store: Store, ws: string, expected: string[]): Promise<void> {
  await clock.advance(ms);
  await eventually(async () => (await scheduledRuns(store, ws)).length >= expected.length, 5000, `${expected.length} runs`);
  expect(await scheduledRuns(store, ws)).toEqual(expected);
}

describe('schedules with an injected clock', () => {
  it('Europe/Berlin spring-forward: 02:30 (skipped) fires once at 03:00 CEST, then daily at 02:30', async () => {
    const { ws, clock, store } = await setup('2026-03-29T00:59:00Z', [{ id: 'berlin', cron: '30 2 * * *', timezone: 'Europe/Berlin' }]);
    await advanceAndExpect(clock, 61_000, store, ws, ['2026-03-29T01:00:00.000Z']);
    await advanceAndExpect(clock, 86_400_000, store, ws, ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    const run = (await store.runs.listRuns(ws)).items[0];
    expect(run?.idempotencyKey).toMatch(/^sched:berlin:2026-03-(29|30)T/);
  });

  it('Europe/Berlin fall-back: 02:30 (repeated) fires once, at the first instance', async () => {
    const { ws, clock, store } = await setup('2026-10-25T00:00:00Z', [{ id: 'berlin', cron: '30 2 * * *', timezone: 'Europe/Berlin' }]);
    await advanceAndExpect(clock, 3 * 3_600_000, store, ws, ['2026-10-25T00:30:00.000Z']);
  });

  it('America/New_York: spring gap fires at 03:00 EDT; fall-back 01:30 fires once', async () => {
    const { ws, clock, store } = await setup('2026-03-08T06:00:00Z', [{ id: 'ny', cron: '30 2 * * *', timezone: 'America/New_York' }]);
    await advanceAndExpect(clock, 2 * 3_600_000, store, ws, ['2026-03-08T07:00:00.000Z']);
    await running?.close();
    await temp?.cleanup();
    const second = await setup('2026-11-01T04:00:00Z', [{ id: 'ny2', cron: '30 1 * * *', timezone: 'America/New_York' }]);
    await advanceAndExpect(second.clock, 4 * 3_600_000, second.store, second.ws, ['2026-11-01T05:30:00.000Z']);
  });

  it('catch-up at start: latest fires the newest missed, all fires up to the cap, none fires nothing', async () => {
    const last = '2026-01-01T00:00:00.000Z';
    const { ws, store } = await setup(
      '2026-01-01T05:30:00Z',
      [
        { id: 'latest', cron: '0 * * * *', timezone: 'UTC', catchUp: 'latest' },
        { id: 'all', cron: '0 * * * *', timezone: 'UTC', catchUp: 'all', catchUpLimit: 3 },
        { id: 'none', cron: '0 * * * *', timezone: 'UTC', catchUp: 'none' },
        { id: 'fresh', cron: '0 * * * *', timezone: 'UTC', catchUp: 'all' },
      ],
      { latest: last, all: last, none: last },
    );
    expect(await scheduledRuns(store, ws, 'latest')).toEqual(['2026-01-01T05:00:00.000Z']);
    expect(await scheduledRuns(store, ws, 'all')).toEqual(['2026-01-01T03:00:00.000Z', '2026-01-01T04:00:00.000Z', '2026-01-01T05:00:00.000Z']);
    expect(await scheduledRuns(store, ws, 'none')).toEqual([]);
    expect(await scheduledRuns(store, ws, 'fresh')).toEqual([]);
    expect(await store.triggers.getLastFiredOccurrence(ws, 'all')).toBe('2026-01-01T05:00:00.000Z');
  });

  it('stops firing while paused; re-activation resumes at the next occurrence without catching up', async () => {
    const { ws, clock, store } = await setup('2026-01-01T00:00:30Z', [{ id: 'minutely', cron: '* * * * *', timezone: 'UTC', catchUp: 'none' }]);
    await advanceAndExpect(clock, 30_000, store, ws, ['2026-01-01T00:01:00.000Z']);
    const wf = (await store.workflows.listActiveWorkflows()).find((w) => w.workspaceId === ws);
    await store.workflows.setWorkflowStatus(ws, wf?.id as string, 'paused');
    await eventually(() => onWheel(0), 3000, 'pause applied');
    await clock.advance(120_000);
    expect(await scheduledRuns(store, ws)).toEqual(['2026-01-01T00:01:00.000Z']);
    const stats = await eventually(async () => {
      const s = await store.triggers.getTriggerStats(ws, 'minutely');
      return s.runsStarted === 1 ? s : null;
    });
    expect(stats.fires).toBe(1);
    expect(stats.lastFiredAt).toBe('2026-01-01T00:01:00.000Z');
    await store.workflows.setWorkflowStatus(ws, wf?.id as string, 'active');
    await eventually(() => onWheel(1), 3000, 're-activation applied');
    await advanceAndExpect(clock, 60_000, store, ws, ['2026-01-01T00:01:00.000Z', '2026-01-01T00:04:00.000Z']);
  });
});

describe('staging ahead of the due instant (lead time)', () => {
  const due = '2026-01-01T00:01:00.000Z';

  it('records the run 1 s ahead as queued with resumeAt = the occurrence and a delayed resume job; counts the fire at due', async () => {
    const { ws, clock, store, queue } = await setup('2026-01-01T00:00:30Z', [{ id: 'minutely', cron: '* * * * *', timezone: 'UTC', catchUp: 'none' }]);
    await clock.advance(28_900);
    await flushed();
    expect(await scheduledRuns(store, ws)).toEqual([]); // 1.1 s ahead: not yet
    await advanceAndExpect(clock, 100, store, ws, [due]);
    const [run] = (await store.runs.listRuns(ws)).items;
    expect(run).toMatchObject({ status: 'queued', resumeAt: due });
    expect(await queue.exists?.(resumeJobIdOf(run!.id, Date.parse(due)))).toBe(true);
    expect(await queue.counts()).toMatchObject({ delayed: 1, waiting: 0 });
    await flushed();
    expect((await store.triggers.getTriggerStats(ws, 'minutely')).fires).toBe(0); // fired means due, not staged
    await clock.advance(1000);
    const stats = await eventually(async () => {
      const s = await store.triggers.getTriggerStats(ws, 'minutely');
      return s.runsStarted === 1 ? s : null; // the buffer writes fires, then runsStarted, as separate commits
    });
    expect(stats).toMatchObject({ fires: 1, lastFiredAt: due });
  });

  it('pausing inside the lead window withdraws the staged run and its job; re-activating before due stages a fresh one', async () => {
    const { ws, clock, store, queue } = await setup('2026-01-01T00:00:30Z', [{ id: 'minutely', cron: '* * * * *', timezone: 'UTC', catchUp: 'none' }]);
    await advanceAndExpect(clock, 29_500, store, ws, [due]);
    const staged = (await store.runs.listRuns(ws)).items[0]!;
    const wf = (await store.workflows.listActiveWorkflows()).find((w) => w.workspaceId === ws)!;
    await store.workflows.setWorkflowStatus(ws, wf.id, 'paused');
    await eventually(async () => (await onWheel(0)) && (await store.runs.getRun(ws, staged.id)) === null, 3000, 'staged run withdrawn');
    expect(await queue.exists?.(resumeJobIdOf(staged.id, Date.parse(due)))).toBe(false);
    expect(await store.runs.listRuns(ws)).toMatchObject({ items: [] });

    await store.workflows.setWorkflowStatus(ws, wf.id, 'active');
    await eventually(async () => (await scheduledRuns(store, ws)).length === 1, 3000, 'staged again');
    const fresh = (await store.runs.listRuns(ws)).items[0]!;
    expect(fresh.id).not.toBe(staged.id);
    await clock.advance(500);
    const stats = await eventually(async () => {
      const s = await store.triggers.getTriggerStats(ws, 'minutely');
      return s.runsStarted >= 1 ? s : null; // written after fires (separate commits)
    });
    await flushed(); // a second (withdrawn) fire would have been flushed by now too
    expect(await store.triggers.getTriggerStats(ws, 'minutely')).toMatchObject({ fires: 1, runsStarted: 1 }); // the withdrawn run was never counted
    expect(stats.fires).toBe(1);
  });

  it('an edit inside the lead window (same schedule, new version) stages the occurrence again on the new version', async () => {
    const { ws, clock, store, queue } = await setup('2026-01-01T00:00:30Z', [{ id: 'minutely', cron: '* * * * *', timezone: 'UTC', catchUp: 'none' }]);
    await advanceAndExpect(clock, 29_500, store, ws, [due]);
    const staged = (await store.runs.listRuns(ws)).items[0]!;
    const wf = (await store.workflows.listActiveWorkflows()).find((w) => w.workspaceId === ws)!;
    const edited = await store.workflows.updateWorkflow(ws, wf.id, { ...wf, name: 'edited', nodes: [...wf.nodes, { id: 'n2', type: 'noop', position: { x: 200, y: 0 }, data: {} }] });
    expect(edited?.version).toBe(wf.version + 1);
    const fresh = await eventually(async () => {
      const items = (await store.runs.listRuns(ws)).items;
      return items.length === 1 && items[0]!.id !== staged.id ? items[0] : null;
    }, 3000, 'the occurrence staged again');
    expect(fresh).toMatchObject({ workflowVersion: wf.version + 1, status: 'queued', resumeAt: due });
    expect(await queue.exists?.(resumeJobIdOf(staged.id, Date.parse(due)))).toBe(false);
    expect(await queue.exists?.(resumeJobIdOf(fresh.id, Date.parse(due)))).toBe(true);
  });

  it('with a lead of 0 records the run at the due instant, runnable at once', async () => {
    const { ws, clock, store, queue } = await setup('2026-01-01T00:00:30Z', [{ id: 'minutely', cron: '* * * * *', timezone: 'UTC', catchUp: 'none' }], undefined, 0);
    await clock.advance(29_900);
    await flushed();
    expect(await scheduledRuns(store, ws)).toEqual([]);
    await advanceAndExpect(clock, 100, store, ws, [due]);
    const [run] = (await store.runs.listRuns(ws)).items;
    expect(run?.resumeAt).toBeUndefined();
    expect(await queue.exists?.(run!.id)).toBe(true);
  });
});
