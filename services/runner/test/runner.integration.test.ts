/**
 * The runner in-process against a real SQLite file, real HTTP sinks and both queue adapters
 * (the in-process one and BullMQ on the shared Redis with a unique prefix).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CANCELS_CHANNEL, createRunLifecycle, startJob, statusEvent, workspaceChannel } from '@outrun/queue';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { createWorkflow, edge, httpNode, inProcessWorld, metricValue, node, startRuns, waitForTerminal, waitUntil, type InProcessWorld } from './harness';

let world: InProcessWorld | undefined;
let sink: HttpSink | undefined;
afterEach(async () => {
  await world?.close();
  await sink?.close();
  world = undefined;
  sink = undefined;
});

describe.each(['memory', 'bullmq'] as const)('runner (%s queue)', (mode) => {
  it('runs the reference workflow, records every step and counts it', async () => {
    sink = await startHttpSink();
    world = await inProcessWorld(mode);
    const wf = await createWorkflow(world.store, world.workspaceId, {
      nodes: [node('score', 'set', { fields: [{ name: 'score', value: '{{ input.value * 2 }}' }] }), node('check', 'condition', { left: '{{ input.score }}', operator: 'gt', right: 10 }), httpNode('notify', `${sink.url}/hot`)],
      edges: [edge('trigger', 'score'), edge('score', 'check'), edge('check', 'notify', 'true')],
    });
    const events: Array<{ runId?: string; status?: string }> = [];
    await world.opened.events.subscribe(workspaceChannel(world.workspaceId), (m) => events.push(m as { runId?: string; status?: string }));
    const ids = await startRuns(world, wf, 2, 5); // i = 5 (score 10: false branch) and 6 (score 12: true)
    const [cold, hot] = await waitForTerminal(world.store, world.workspaceId, ids);
    expect(cold!.status).toBe('completed');
    expect(hot!.status).toBe('completed');
    expect(hot!.steps.map((s) => [s.nodeId, s.status, s.attempt])).toEqual(
      expect.arrayContaining([['trigger', 'completed', 1], ['score', 'completed', 1], ['check', 'completed', 1], ['notify', 'completed', 1]]),
    );
    expect(cold!.steps.find((s) => s.nodeId === 'notify')?.status).toBe('skipped');
    expect(sink.requests).toHaveLength(1);
    expect(sink.requests[0]!.headers['idempotency-key']).toBe(`${hot!.id}:notify:1`);
    expect(JSON.parse(sink.requests[0]!.body)).toMatchObject({ node: 'notify', i: 6 });
    // The counter moves right after the store write the poll above saw.
    await waitUntil(async () => (await metricValue(world!.runner, 'outrun_runs_finished_total', { status: 'completed' })) === 2, 5000, 'the finished counter');
    expect(await metricValue(world.runner, 'outrun_runs_started_total')).toBe(2);
    const stats = await world.store.workflows.getWorkflow(world.workspaceId, wf.id);
    expect(stats?.stats).toMatchObject({ totalRuns: 2, successfulRuns: 2 });
    await waitUntil(() => events.some((e) => e.runId === ids[1] && e.status === 'completed'), 5000, 'the terminal status event');
    expect(events.filter((e) => e.runId === ids[1]).map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'running', 'completed']));
  });

  it('runs parallel branches at the same time', async () => {
    sink = await startHttpSink({ delayMs: 400 });
    world = await inProcessWorld(mode);
    const wf = await createWorkflow(world.store, world.workspaceId, {
      nodes: [httpNode('left', `${sink.url}/l`), httpNode('right', `${sink.url}/r`), node('join', 'merge')],
      edges: [edge('trigger', 'left'), edge('trigger', 'right'), edge('left', 'join'), edge('right', 'join')],
    });
    const [run] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, wf, 1));
    expect(run!.status).toBe('completed');
    expect(sink.maxInFlight).toBe(2);
    const [l, r] = ['left', 'right'].map((id) => run!.steps.find((s) => s.nodeId === id)!);
    // Overlap in the recorded timings: each started before the other finished.
    expect(Date.parse(l!.startedAt)).toBeLessThan(Date.parse(r!.finishedAt!));
    expect(Date.parse(r!.startedAt)).toBeLessThan(Date.parse(l!.finishedAt!));
  });

  it('starts a run staged ahead of its occurrence no earlier than that instant, from its resume job', async () => {
    world = await inProcessWorld(mode);
    const wf = await createWorkflow(world.store, world.workspaceId, { nodes: [node('score', 'set', { fields: [{ name: 'score', value: '{{ input.value * 2 }}' }] })], edges: [edge('trigger', 'score')] });
    const notBefore = Date.now() + 400;
    const input = { workflowId: wf.id, workflowVersion: wf.version, triggeredBy: { type: 'schedule' as const, source: 'cron:* * * * * *', triggerId: wf.triggers[0]!.id, payload: { value: 4 } } };
    const [staged] = await createRunLifecycle({ store: { runs: world.store.runs }, queue: world.opened.queue }).acceptMany([{ workspaceId: world.workspaceId, input, notBefore }]);
    expect(staged!.run.resumeAt).toBe(new Date(notBefore).toISOString());
    // A stray job under the plain run id (a duplicate) must not start it early.
    await world.opened.queue.enqueue(startJob({ workspaceId: world.workspaceId, runId: staged!.run.id }));
    const [done] = await waitForTerminal(world.store, world.workspaceId, [staged!.run.id]);
    expect(done).toMatchObject({ status: 'completed', output: { value: 4, score: 8 } });
    expect(done!.resumeAt).toBeUndefined();
    expect(Date.parse(done!.startedAt!)).toBeGreaterThanOrEqual(notBefore);
  });
});

describe('runner behaviours (BullMQ queue)', () => {
  it('retries a failing node with backoff and records each attempt', async () => {
    let calls = 0;
    sink = await startHttpSink({ status: () => (++calls <= 2 ? 503 : 200) });
    world = await inProcessWorld('bullmq');
    const wf = await createWorkflow(world.store, world.workspaceId, {
      nodes: [httpNode('flaky', `${sink.url}/flaky`)],
      edges: [edge('trigger', 'flaky')],
      settings: { retryPolicy: { maxRetries: 3, backoffStrategy: 'fixed', initialDelay: 300, maxDelay: 1000, jitter: 0 } },
    });
    const [run] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, wf, 1));
    expect(run!.status).toBe('completed');
    expect(run!.steps.find((s) => s.nodeId === 'flaky')).toMatchObject({ status: 'completed', attempt: 3 });
    expect(sink.requests.map((r) => r.headers['idempotency-key'])).toEqual([1, 2, 3].map((a) => `${run!.id}:flaky:${a}`));
    const gaps = sink.requests.slice(1).map((r, i) => r.receivedAt - sink!.requests[i]!.receivedAt);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(280);
  });

  it('fails a run past its timeout with OUT_ERR_RUN_TIMEOUT and aborts the in-flight node', async () => {
    sink = await startHttpSink({ delayMs: 10_000 });
    world = await inProcessWorld('bullmq');
    const wf = await createWorkflow(world.store, world.workspaceId, { nodes: [httpNode('slow', `${sink.url}/slow`)], edges: [edge('trigger', 'slow')], settings: { timeout: 600 } });
    const t0 = Date.now();
    const [run] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, wf, 1));
    expect(run!.status).toBe('failed');
    expect(run!.error?.code).toBe('OUT_ERR_RUN_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(5000);
    // The request was abandoned (connection closed), not left running for 10 s.
    await waitUntil(() => sink!.inFlight === 0, 3000, 'the aborted request to close');
    expect(sink.requests).toHaveLength(1);
  });

  it('cancels mid-run: the in-flight node is aborted, no further step starts, cancelled stays', async () => {
    sink = await startHttpSink({ delayMs: 10_000 });
    world = await inProcessWorld('bullmq');
    const wf = await createWorkflow(world.store, world.workspaceId, {
      nodes: [httpNode('first', `${sink.url}/first`), httpNode('second', `${sink.url}/second`)],
      edges: [edge('trigger', 'first'), edge('first', 'second')],
    });
    const [id] = await startRuns(world, wf, 1);
    await sink.waitForRequests(1, 10_000);
    // What the API (another process) does on POST /runs/:id/cancel: the saved cancel, then the notice runners listen
    // for. The store check between steps would see it only after the in-flight request (10 s): the notice aborts it.
    const cancelled = await world.store.runs.cancelRun(world.workspaceId, id!, new Date().toISOString());
    await world.opened.events.publish(CANCELS_CHANNEL, statusEvent({ id: id!, workspaceId: world.workspaceId, workflowId: wf.id }, 'cancelled', new Date().toISOString()));
    expect(cancelled?.status).toBe('cancelled');
    await waitUntil(() => sink!.inFlight === 0, 3000, 'the in-flight request to be aborted');
    await waitUntil(async () => (await metricValue(world!.runner, 'outrun_active_runs')) === 0, 5000, 'the runner to let go of the run');
    const run = await world.store.runs.getRun(world.workspaceId, id!);
    expect(run?.status).toBe('cancelled');
    expect(run?.steps.find((s) => s.nodeId === 'second')).toBeUndefined();
    expect(sink.requests.map((r) => r.url)).toEqual(['/first']);
  });

  it('parks a run on a long delay, frees its worker slot, and resumes it from the delay', async () => {
    sink = await startHttpSink();
    world = await inProcessWorld('bullmq', { concurrency: 1 });
    const slow = await createWorkflow(world.store, world.workspaceId, {
      nodes: [node('wait', 'delay', { duration: 1500 }), httpNode('after', `${sink.url}/after`)],
      edges: [edge('trigger', 'wait'), edge('wait', 'after')],
    });
    const quick = await createWorkflow(world.store, world.workspaceId, { nodes: [httpNode('now', `${sink.url}/now`)], edges: [edge('trigger', 'now')] });
    const [parkedId] = await startRuns(world, slow, 1);
    await waitUntil(async () => (await world!.store.runs.getRun(world!.workspaceId, parkedId!))?.resumeAt !== undefined, 5000, 'the run to park');
    const [quickRun] = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, quick, 1));
    const parkedMeanwhile = await world.store.runs.getRun(world.workspaceId, parkedId!);
    expect(quickRun!.status).toBe('completed');
    expect(parkedMeanwhile).toMatchObject({ status: 'running' });
    expect(parkedMeanwhile?.resumeAt).toBeDefined();
    const [resumed] = await waitForTerminal(world.store, world.workspaceId, [parkedId!]);
    expect(resumed!.status).toBe('completed');
    expect(resumed!.steps.find((s) => s.nodeId === 'wait')?.status).toBe('completed');
    expect(sink.requests.map((r) => r.url)).toEqual(['/now', '/after']);
    expect(Date.parse(resumed!.finishedAt!) - Date.parse(resumed!.startedAt!)).toBeGreaterThanOrEqual(1400);
  });

  it('keeps a workflow at its concurrency and admits waiting runs in order', async () => {
    // Each call holds its slot long enough for every waiter to have asked once (a place in line is taken on the
    // first ask; on a loaded machine a job can be picked up 150 ms late and would then be behind a later run).
    sink = await startHttpSink({ delayMs: 400 });
    world = await inProcessWorld('bullmq', { concurrency: 8 });
    const wf = await createWorkflow(world.store, world.workspaceId, { nodes: [httpNode('call', `${sink.url}/c`)], edges: [edge('trigger', 'call')], settings: { concurrency: 2 } });
    const runs = await waitForTerminal(world.store, world.workspaceId, await startRuns(world, wf, 8));
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(sink.maxInFlight).toBe(2);
    const order = sink.requests.map((r) => (JSON.parse(r.body) as { i: number }).i);
    expect(order.slice(0, 2).sort()).toEqual([0, 1]);
    expect(order.slice(-2).sort()).toEqual([6, 7]);
  });
});
