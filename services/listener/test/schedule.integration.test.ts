import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@outrun/engine';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import type { Store } from '@outrun/store';
import { createWorkflow, eventually, startListener, type RunningListener } from './fixtures';

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

async function setup(startIso: string, schedules: Array<{ id: string; cron: string; timezone: string; catchUp?: 'none' | 'latest' | 'all'; catchUpLimit?: number }>, lastFired?: Record<string, string>) {
  temp = await createTempSqliteStore();
  const ws = (await temp.store.workspaces.createWorkspace({ name: 'sched' })).id;
  await createWorkflow(temp.store, ws, schedules.map(({ id, ...config }) => ({ id, type: 'schedule', config })));
  for (const [triggerId, iso] of Object.entries(lastFired ?? {})) await temp.store.triggers.advanceLastFiredOccurrence(ws, triggerId, iso);
  const clock = createFakeClock({ start: Date.parse(startIso) });
  running = await startListener({ store: temp.store, clock });
  return { ws, clock, store: temp.store };
}

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
    const onWheel = async (n: number) => /listener_schedules_active\{[^}]*\} (\d+)/.exec((await running?.listener.metrics.getSingleMetricAsString('listener_schedules_active')) ?? '')?.[1] === String(n);
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
