import { type OutrunApiError, type SseMessage } from '@outrun/client';
import { createRunLifecycle, jobIdOf, resumeJob, runChannel, workspaceChannel } from '@outrun/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, waitFor, type ApiHarness } from '../test/api-harness';

/** The queue id of a run's resume job at `at` (derived from the payload, as the lifecycle does). */
const resumeJobIdOf = (runId: string, at: number) => jobIdOf(resumeJob({ workspaceId: 'ws', runId }, at));

let h: ApiHarness;
let workflowId: string;
beforeAll(async () => {
  h = await startApi();
  workflowId = (await h.api.createWorkflow(h.ws, simpleWorkflow('runs', 'runs-manual'))).id;
});
afterAll(async () => {
  await h.close();
});

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

/** A finished run with two completed steps and a failed third, written as a runner would. */
async function failedRun(): Promise<string> {
  const { runs } = h.temp.store;
  const { run } = await runs.createRun(h.ws, { workflowId, workflowVersion: 1, triggeredBy: { type: 'manual', source: 'api', payload: { n: 1 } } });
  await runs.markRunning(h.ws, run.id, { attempt: 1, at: iso() });
  for (const [nodeId, status] of [['start', 'completed'], ['set', 'completed'], ['notify', 'failed']] as const) {
    await runs.recordStepStart(h.ws, run.id, { nodeId, nodeType: nodeId === 'start' ? 'trigger' : 'set', attempt: 1, startedAt: iso(), input: { in: nodeId } });
    await runs.recordStepFinish(h.ws, run.id, {
      nodeId, status, attempt: 1, finishedAt: iso(5), duration: 5,
      ...(status === 'completed' ? { output: { out: nodeId } } : { error: { code: 'OUT_ERR_NODE_FAILED', message: 'boom', nodeId } }),
    });
  }
  await runs.finishRun(h.ws, run.id, { status: 'failed', error: { code: 'OUT_ERR_NODE_FAILED', message: 'boom', nodeId: 'notify' }, at: iso(10) });
  return run.id;
}

async function apiError(p: Promise<unknown>): Promise<OutrunApiError> {
  return p.then(
    () => {
      throw new Error('expected failure');
    },
    (err: unknown) => err as OutrunApiError,
  );
}

describe('runs', () => {
  it('starts a manual run pinned to the current version and lists it with filters', async () => {
    const accepted = await h.api.runWorkflow(h.ws, workflowId, { payload: { hello: 'world' } });
    expect(accepted.statusUrl).toBe(`/api/workspaces/${h.ws}/runs/${accepted.runId}`);
    const run = await h.api.getRun(h.ws, accepted.runId);
    expect(run).toMatchObject({ status: 'queued', workflowVersion: 1, triggeredBy: { type: 'manual', payload: { hello: 'world' }, triggerId: 'runs-manual' } });
    expect((await h.deps.queue.counts()).waiting).toBeGreaterThanOrEqual(1);
    const byWorkflow = await h.api.listRuns(h.ws, { workflowId, status: 'queued', triggerType: 'manual' });
    expect(byWorkflow.items.map((r) => r.id)).toContain(accepted.runId);
    expect(byWorkflow.items[0]).not.toHaveProperty('steps');
    const none = await h.api.listRuns(h.ws, { status: 'completed', workflowId });
    expect(none.items).toEqual([]);
    const future = await h.api.listRuns(h.ws, { from: iso(3_600_000) });
    expect(future.items).toEqual([]);
  });

  it('honours Idempotency-Key on manual runs', async () => {
    const a = await h.api.runWorkflow(h.ws, workflowId, { idempotencyKey: 'same-key' });
    const b = await h.api.runWorkflow(h.ws, workflowId, { idempotencyKey: 'same-key' });
    expect(b.runId).toBe(a.runId);
  });

  it('namespaces manual Idempotency-Keys per workflow; a sched:-looking key cannot pre-claim a schedule occurrence', async () => {
    const other = (await h.api.createWorkflow(h.ws, simpleWorkflow('runs-other', 'runs-other-manual'))).id;
    const a = await h.api.runWorkflow(h.ws, workflowId, { idempotencyKey: 'shared-key' });
    const b = await h.api.runWorkflow(h.ws, other, { idempotencyKey: 'shared-key' });
    expect(b.runId).not.toBe(a.runId);
    expect((await h.api.getRun(h.ws, b.runId)).workflowId).toBe(other);
    // The scheduler keys an occurrence `sched:<trigger>:<iso>`: a manual key spelled like it must not take it.
    const occurrence = 'sched:tick:2030-01-01T00:00:00.000Z';
    await h.api.runWorkflow(h.ws, workflowId, { idempotencyKey: occurrence });
    const staged = await h.temp.store.runs.createRun(h.ws, { workflowId, workflowVersion: 1, triggeredBy: { type: 'schedule', source: 'cron', payload: {} }, idempotencyKey: occurrence });
    expect(staged.created).toBe(true);
  });

  it('paginates with a cursor', async () => {
    for (let i = 0; i < 3; i++) await h.api.runWorkflow(h.ws, workflowId);
    const first = await h.api.listRuns(h.ws, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await h.api.listRuns(h.ws, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.items.map((r) => r.id)).not.toContain(first.items[0]?.id);
    const forged = await h.fetch(`/api/workspaces/${h.ws}/runs?cursor=forged`);
    expect(forged.status).toBe(400);
  });

  it('rejects a manual run of an unknown workflow or trigger', async () => {
    expect((await apiError(h.api.runWorkflow(h.ws, 'nope'))).status).toBe(404);
    const bad = await apiError(h.api.runWorkflow(h.ws, workflowId, { triggerId: 'ghost' }));
    expect(bad.details[0]?.path).toBe('body.triggerId');
  });

  it('cancels a queued run, publishes the status, and refuses a finished one', async () => {
    const { runId } = await h.api.runWorkflow(h.ws, workflowId);
    const seen: unknown[] = [];
    const off = await h.deps.events.subscribe(workspaceChannel(h.ws), (m) => seen.push(m));
    const cancelled = await h.api.cancelRun(h.ws, runId);
    expect(cancelled.status).toBe('cancelled');
    await waitFor(() => seen.some((m) => (m as { runId?: string; status?: string }).runId === runId && (m as { status?: string }).status === 'cancelled'));
    await off();
    const again = await apiError(h.api.cancelRun(h.ws, runId));
    expect(again.status).toBe(409);
    expect((await apiError(h.api.cancelRun(h.ws, 'nope'))).status).toBe(404);
  });

  it('a saved cancel answers 200 even when the event bus is down (publishing is best effort)', async () => {
    const { runId } = await h.api.runWorkflow(h.ws, workflowId);
    const publish = h.deps.events.publish;
    h.deps.events.publish = () => Promise.reject(new Error('event bus down'));
    try {
      const cancelled = await h.api.cancelRun(h.ws, runId);
      expect(cancelled.status).toBe('cancelled');
    } finally {
      h.deps.events.publish = publish;
    }
    expect((await h.api.getRun(h.ws, runId)).status).toBe('cancelled');
  });

  it('cancelling a run staged ahead of its start also removes its delayed resume job', async () => {
    const notBefore = Date.now() + 60_000;
    const [started] = await createRunLifecycle({ store: { runs: h.temp.store.runs }, queue: h.deps.queue }).acceptMany([
      { workspaceId: h.ws, input: { workflowId, workflowVersion: 1, triggeredBy: { type: 'schedule', source: 'cron:* * * * *', payload: {} } }, notBefore },
    ]);
    const run = started!.run;
    expect(await h.deps.queue.exists?.(resumeJobIdOf(run.id, notBefore))).toBe(true);
    expect((await h.api.cancelRun(h.ws, run.id)).status).toBe('cancelled');
    expect(await h.deps.queue.exists?.(resumeJobIdOf(run.id, notBefore))).toBe(false);
  });

  it('retries a whole run, and from the failed step with completed steps copied', async () => {
    const original = await failedRun();
    const whole = await h.api.retryRun(h.ws, original);
    const wholeRun = await h.api.getRun(h.ws, whole.runId);
    expect(wholeRun).toMatchObject({ retryOf: original, status: 'queued', steps: [] });
    const resumed = await h.api.retryRun(h.ws, original, { fromFailedStep: true });
    const resumedRun = await h.api.getRun(h.ws, resumed.runId);
    expect(resumedRun.retryOf).toBe(original);
    expect(resumedRun.steps.map((s) => [s.nodeId, s.status])).toEqual([['start', 'completed'], ['set', 'completed']]);
    expect(resumedRun.steps[1]?.output).toEqual({ out: 'set' });
    // a queued run cannot be retried; fromFailedStep needs a failed run
    expect((await apiError(h.api.retryRun(h.ws, resumed.runId))).status).toBe(409);
    const body = await h.fetch(`/api/workspaces/${h.ws}/runs/${original}/retry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fromFailedStep":"yes"}' });
    expect(body.status).toBe(400);
  });

  it('streams one run: snapshot, then step and status events in order until terminal', async () => {
    const { runId } = await h.api.runWorkflow(h.ws, workflowId);
    const events: SseMessage[] = [];
    const base = { workspaceId: h.ws, workflowId, runId };
    const done = h.api.streamRunEvents(h.ws, runId, { onEvent: (m) => events.push(m) });
    await waitFor(() => events.some((e) => e.event === 'snapshot'));
    const sequence = [
      { type: 'status', ...base, status: 'running', at: iso() },
      { type: 'step', ...base, nodeId: 'start', status: 'running', at: iso() },
      { type: 'step', ...base, nodeId: 'start', status: 'completed', at: iso() },
      { type: 'step', ...base, nodeId: 'set', status: 'completed', at: iso() },
      { type: 'status', ...base, status: 'completed', at: iso() },
    ];
    for (const e of sequence) await h.deps.events.publish(runChannel(runId), e);
    await done; // the server ends the stream at the terminal status
    expect(events[0]?.event).toBe('snapshot');
    expect((events[0]?.data as { id: string }).id).toBe(runId);
    expect(events.slice(1).map((e) => [e.event, (e.data as { nodeId?: string }).nodeId ?? null, (e.data as { status: string }).status])).toEqual([
      ['status', null, 'running'],
      ['step', 'start', 'running'],
      ['step', 'start', 'completed'],
      ['step', 'set', 'completed'],
      ['status', null, 'completed'],
    ]);
  });

  it('ends the stream of a finished run after the snapshot and its status', async () => {
    const runId = await failedRun();
    const events: SseMessage[] = [];
    await h.api.streamRunEvents(h.ws, runId, { onEvent: (m) => events.push(m) });
    expect(events.map((e) => e.event)).toEqual(['snapshot', 'status']);
    expect((events[1]?.data as { status: string }).status).toBe('failed');
    const missing = await apiError(h.api.streamRunEvents(h.ws, 'nope', { onEvent: () => undefined }));
    expect(missing.status).toBe(404);
  });

  it('notices a terminal state written without a bus event (heartbeat re-check)', async () => {
    const { runId } = await h.api.runWorkflow(h.ws, workflowId);
    const events: SseMessage[] = [];
    const done = h.api.streamRunEvents(h.ws, runId, { onEvent: (m) => events.push(m) });
    await waitFor(() => events.length > 0);
    await h.temp.store.runs.cancelRun(h.ws, runId, iso());
    await done;
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { status: 'cancelled' } });
  });

  it('streams every run event of the workspace until the client leaves', async () => {
    const controller = new AbortController();
    const events: SseMessage[] = [];
    const done = h.api.streamWorkspaceEvents(h.ws, { signal: controller.signal, onEvent: (m) => events.push(m) });
    // the subscription is live once the response started; poll by publishing until one arrives
    const other = await h.newWorkspace('quiet');
    await waitFor(async () => {
      await h.deps.events.publish(workspaceChannel(other.ws), { type: 'status', workspaceId: other.ws, workflowId: 'w', runId: 'r0', status: 'queued', at: iso() });
      await h.deps.events.publish(workspaceChannel(h.ws), { type: 'status', workspaceId: h.ws, workflowId: 'w', runId: 'r1', status: 'queued', at: iso() });
      return events.length > 0;
    });
    controller.abort();
    await done;
    expect(events.every((e) => (e.data as { workspaceId: string }).workspaceId === h.ws)).toBe(true);
  });

  it('reports workflow and workspace stats', async () => {
    await failedRun();
    const stats = await h.api.getWorkflowStats(h.ws, workflowId);
    expect(stats.workflowId).toBe(workflowId);
    expect(stats.stats.failedRuns).toBeGreaterThanOrEqual(1);
    expect(stats.perDay).toHaveLength(30);
    expect(stats.successRate).toBe(0);
    const ws = await h.api.getWorkspaceStats(h.ws, { days: 7 });
    expect(ws.perDay).toHaveLength(7);
    expect(ws.workflows.draft).toBeGreaterThanOrEqual(1);
    expect(ws.failedRuns).toBeGreaterThanOrEqual(1);
  });
});
