/**
 * The run lifecycle end to end against a real SQLite store and the in-process queue: a tiny driver plays the
 * runner (take a job, `begin`, then decide), so each transition is observed through the store, the queue and the
 * event bus. The signal `test.approved` exists only here: waiting states need no runner change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RunEvent, WorkflowInput, type Run, type RunJob } from '@outrun/schemas';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { CANCELS_CHANNEL, createRunLifecycle, jobIdOf, resumeJob, type JobContext, type RunLifecycle } from '../src/index';
import { createMemoryEventBus, createMemoryQueue } from '../src/memory/index';
import { waitFor } from '../src/contract/run-queue-contract';

let temp: TempSqliteStore | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await temp?.cleanup();
  temp = undefined;
});

async function world() {
  temp = await createTempSqliteStore();
  const { store } = temp;
  const ws = await store.workspaces.createWorkspace({ name: 'lifecycle' });
  const wf = await store.workflows.createWorkflow(ws.id, WorkflowInput.parse({ name: 'wf' }));
  const queue = createMemoryQueue();
  const events = createMemoryEventBus();
  closers.push(() => queue.close(), () => events.close());
  const statuses: string[] = [];
  await events.subscribe(`ws:${ws.id}`, (m) => {
    const event = RunEvent.parse(m);
    if (event.type !== 'output') statuses.push(event.status);
  });
  const cancelNotices: string[] = [];
  await events.subscribe(CANCELS_CHANNEL, (m) => cancelNotices.push(RunEvent.parse(m).runId));
  const lifecycle = createRunLifecycle({ store, queue, events });
  const input = { workflowId: wf.id, workflowVersion: 1, triggeredBy: { type: 'manual' as const, source: 'test', payload: {} } };
  return { store, ws: ws.id, queue, lifecycle, input, statuses, cancelNotices };
}

/** Plays the runner: every job that drives its run is begun and handed to `decide`. */
async function drive(queue: ReturnType<typeof createMemoryQueue>, lifecycle: RunLifecycle, store: TempSqliteStore['store'], decide: (job: RunJob, run: Run) => Promise<void>) {
  const seen: RunJob[] = [];
  const consumer = await queue.consume(async ({ job }: JobContext) => {
    seen.push(job);
    const queued = await store.runs.getRun(job.workspaceId, job.runId);
    if (!queued || !lifecycle.drives(job, queued)) return { type: 'done' };
    const run = await lifecycle.begin(job, queued);
    if (run) await decide(job, run);
    return { type: 'done' };
  });
  closers.unshift(() => consumer.close({ graceMs: 0 }));
  return seen;
}

describe('run lifecycle', () => {
  it('accept → start → wait → signal → resume → finish: a waiting run resumes early when its signal arrives', async () => {
    const { store, ws, queue, lifecycle, input, statuses } = await world();
    const deadline = Date.now() + 60_000;
    const seen = await drive(queue, lifecycle, store, async (job, run) => {
      if (job.kind === 'start') await lifecycle.wait(run, { signal: 'test.approved', deadline });
      else await lifecycle.finish(run, { status: 'completed', output: { signal: job.kind === 'resume' ? (job.signal ?? null) : null } });
    });
    const { run } = await lifecycle.accept(ws, input);
    await waitFor(() => seen.length === 1, 4000, 'the start job');
    let waiting = await store.runs.getRun(ws, run.id);
    for (let i = 0; i < 50 && waiting?.resumeAt === undefined; i++) waiting = (await new Promise((r) => setTimeout(r, 20)), await store.runs.getRun(ws, run.id));
    expect(waiting).toMatchObject({ status: 'running', resumeAt: new Date(deadline).toISOString() });
    expect(await queue.exists?.(jobIdOf(resumeJob({ workspaceId: ws, runId: run.id }, deadline)))).toBe(true);

    expect(await lifecycle.signal(ws, run.id, 'test.approved')).toBe(true);
    await waitFor(() => seen.length === 2, 4000, 'the resume job');
    expect(seen[1]).toMatchObject({ kind: 'resume', signal: 'test.approved' });
    for (let i = 0; i < 50 && (await store.runs.getRun(ws, run.id))?.status !== 'completed'; i++) await new Promise((r) => setTimeout(r, 20));
    const done = await store.runs.getRun(ws, run.id);
    expect(done).toMatchObject({ status: 'completed', output: { signal: 'test.approved' } });
    expect(done?.resumeAt).toBeUndefined();
    // The deadline job was removed: nothing else will drive the run.
    expect(await queue.exists?.(jobIdOf(resumeJob({ workspaceId: ws, runId: run.id }, deadline)))).toBe(false);
    expect(statuses).toEqual(['queued', 'running', 'completed']);
    // A finished run takes no more signals.
    expect(await lifecycle.signal(ws, run.id, 'test.approved')).toBe(false);
  });

  it('a waiting run whose signal never comes resumes at its deadline (the job names no signal)', async () => {
    const { store, ws, queue, lifecycle, input } = await world();
    const deadline = Date.now() + 300;
    const seen = await drive(queue, lifecycle, store, async (job, run) => {
      if (job.kind === 'start') await lifecycle.wait(run, { signal: 'test.approved', deadline });
      else await lifecycle.finish(run, { status: 'failed', error: { code: 'OUT_ERR_TIMEOUT', message: 'no approval before the deadline' } });
    });
    const { run } = await lifecycle.accept(ws, input);
    await waitFor(() => seen.length === 2, 4000, 'the deadline job');
    expect(seen[1]).toEqual({ kind: 'resume', workspaceId: ws, runId: run.id, resumeAt: deadline });
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
    for (let i = 0; i < 50 && (await store.runs.getRun(ws, run.id))?.status === 'running'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await store.runs.getRun(ws, run.id)).toMatchObject({ status: 'failed', error: { code: 'OUT_ERR_TIMEOUT' } });
  });

  it('a stale job of a parked run does not drive it; only its own resume job does', async () => {
    const { store, ws, lifecycle, input } = await world();
    const { run } = await lifecycle.accept(ws, input);
    const running = await lifecycle.begin({ kind: 'start', workspaceId: ws, runId: run.id }, run);
    const resumeAt = Date.now() + 60_000;
    await lifecycle.park(running!, resumeAt);
    const parked = (await store.runs.getRun(ws, run.id))!;
    expect(lifecycle.drives({ kind: 'start', workspaceId: ws, runId: run.id }, parked)).toBe(false);
    expect(lifecycle.drives({ kind: 'retry', workspaceId: ws, runId: run.id, attempt: 2 }, parked)).toBe(false);
    expect(lifecycle.drives(resumeJob({ workspaceId: ws, runId: run.id }, resumeAt - 1000), parked)).toBe(false);
    expect(lifecycle.drives(resumeJob({ workspaceId: ws, runId: run.id }, resumeAt), parked)).toBe(true);
  });

  it('re-attempt records the attempt from the retry job; cancel answers from the saved state and tells the runners', async () => {
    const { store, ws, queue, lifecycle, input, statuses, cancelNotices } = await world();
    const { run } = await lifecycle.accept(ws, input);
    const running = await lifecycle.begin({ kind: 'start', workspaceId: ws, runId: run.id }, run);
    await lifecycle.reattempt(running!, 1, 60_000);
    expect(await queue.exists?.(`${run.id}:retry:2`)).toBe(true);
    const again = await lifecycle.begin({ kind: 'retry', workspaceId: ws, runId: run.id, attempt: 2 }, (await store.runs.getRun(ws, run.id))!);
    expect(again?.attempt).toBe(2);
    expect(await lifecycle.cancel(ws, run.id)).toMatchObject({ status: 'cancelled' });
    await expect(lifecycle.cancel(ws, run.id)).rejects.toMatchObject({ status: 409 });
    expect(await lifecycle.finish(running!, { status: 'completed' })).toBe(false); // terminal states never change
    await waitFor(() => statuses.length === 3, 1000, 'events');
    expect(statuses).toEqual(['queued', 'running', 'cancelled']);
    expect(cancelNotices).toEqual([run.id]); // once, on the one channel every runner listens to
  });
});
