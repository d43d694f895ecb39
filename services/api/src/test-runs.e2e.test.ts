/**
 * The editor's test loop through the embedded stack (`createTempStack()`: gateway, listener and the real runner on
 * one SQLite store and the in-process queue): a test run executes the draft and stays out of the production stats,
 * pinned data replaces a node, "execute this step" runs one node with the outputs an earlier run recorded, and a
 * one-shot test URL turns its delivery into a test run.
 */
import type { WorkflowApi } from '@outrun/client';
import type { Run, WorkflowInputRaw } from '@outrun/schemas';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { createTempStack, type Stack } from '@outrun/testing/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test/api-harness';

let stack: Stack;
/** The test workspace: its id, a client with its key, and the gateway's URL. */
let h: { ws: string; api: WorkflowApi; baseUrl: string };
let sink: HttpSink;

beforeAll(async () => {
  sink = await startHttpSink({ respond: () => ({ status: 200, body: { ok: true } }) });
  stack = await createTempStack();
  const { ws, api } = await stack.newWorkspace('test loop');
  h = { ws, api, baseUrl: stack.baseUrl };
});
afterAll(async () => {
  await stack?.close();
  await sink?.close();
});

/** webhook → prep (set) → call (http-request to the sink) → done (set). */
function flow(label: string): WorkflowInputRaw {
  return {
    name: `test loop ${label}`,
    triggers: [{ id: `editor-hook-${label}`, type: 'webhook', config: { auth: { type: 'none' } } }],
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: `editor-hook-${label}` } },
      { id: 'prep', type: 'set', position: { x: 200, y: 0 }, data: { keepInput: false, fields: [{ name: 'who', value: '{{ trigger.body.name }}' }, { name: 'label', value: label }] } },
      { id: 'call', type: 'http-request', position: { x: 400, y: 0 }, data: { method: 'POST', url: `${sink.url}/call`, bodyType: 'json', body: '{{ input }}' } },
      { id: 'done', type: 'set', position: { x: 600, y: 0 }, data: { fields: [{ name: 'finished', value: true }] } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'prep' }, { id: 'e2', source: 'prep', target: 'call' }, { id: 'e3', source: 'call', target: 'done' }],
  };
}

const finished = (runId: string) => waitFor(async () => {
  const run = await h.api.getRun(h.ws, runId);
  return run.status === 'completed' || run.status === 'failed' ? run : null;
}, 10_000);
const step = (run: Run, nodeId: string) => run.steps.find((s) => s.nodeId === nodeId);
const sinkBodies = (from: number) => sink.requests.slice(from).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('editor test loop', () => {
  it('a test run executes the draft, is marked, and does not count in the workflow stats', async () => {
    const wf = await h.api.createWorkflow(h.ws, flow('v1'));
    await h.api.saveDraft(h.ws, wf.id, flow('draft'));
    const before = sink.requests.length;
    const { runId } = await h.api.startTestRun(h.ws, wf.id, { payload: { body: { name: 'Ada' }, query: {}, headers: {}, method: 'POST' } });
    const run = await finished(runId);
    expect(run.status).toBe('completed');
    expect(run.triggeredBy).toMatchObject({ type: 'webhook', source: 'test:editor', test: {} });
    expect(step(run, 'prep')?.output).toEqual({ who: 'Ada', label: 'draft' });
    expect(sinkBodies(before)).toEqual([{ who: 'Ada', label: 'draft' }]);
    expect((await h.api.getWorkflow(h.ws, wf.id)).stats.totalRuns).toBe(0);
    // A production run (the live version 1) counts.
    const prod = await finished((await h.api.runWorkflow(h.ws, wf.id, { payload: { body: { name: 'Bob' }, query: {}, headers: {}, method: 'POST' } })).runId);
    expect(step(prod, 'prep')?.output).toEqual({ who: 'Bob', label: 'v1' });
    expect((await h.api.getWorkflow(h.ws, wf.id)).stats.totalRuns).toBe(1);
    expect((await h.api.getWorkflowStats(h.ws, wf.id)).totalRuns).toBe(1);
  });

  it('pinned data replaces the node in test runs only; "execute this step" runs one node with recorded input', async () => {
    const wf = await h.api.createWorkflow(h.ws, flow('pin'));
    const first = await finished((await h.api.startTestRun(h.ws, wf.id, { payload: { body: { name: 'Ada' }, query: {}, headers: {}, method: 'POST' } })).runId);
    expect(first.status).toBe('completed');
    // Pin prep's output in the draft: the next test run sends the pinned value and does not execute prep.
    const pinned = flow('pin');
    pinned.nodes = (pinned.nodes ?? []).map((n) => (n.id === 'prep' ? { ...n, pinned: { who: 'Pinned Person' } } : n));
    await h.api.saveDraft(h.ws, wf.id, pinned);
    let at = sink.requests.length;
    const withPin = await finished((await h.api.startTestRun(h.ws, wf.id, {})).runId);
    expect(withPin.triggeredBy.payload).toEqual(first.triggeredBy.payload); // the last run's payload by default
    expect(step(withPin, 'prep')).toMatchObject({ status: 'completed', output: { who: 'Pinned Person' }, duration: 0 });
    expect(sinkBodies(at)).toEqual([{ who: 'Pinned Person' }]);
    // Execute only "call", with the input it had in the first run (prep's recorded output; pin dropped here).
    await h.api.saveDraft(h.ws, wf.id, flow('pin'));
    at = sink.requests.length;
    const only = await finished((await h.api.startTestRun(h.ws, wf.id, { step: 'call', fromRunId: first.id })).runId);
    expect(only.status).toBe('completed');
    expect(only.triggeredBy.test).toEqual({ step: 'call' });
    expect(sinkBodies(at)).toEqual([{ who: 'Ada', label: 'pin' }]);
    expect(step(only, 'call')?.input).toEqual({ who: 'Ada', label: 'pin' });
    expect(step(only, 'done')).toBeUndefined(); // downstream of the step: not run
    // A production run ignores pins (publish the pinned draft first).
    await h.api.saveDraft(h.ws, wf.id, pinned);
    await h.api.publishWorkflow(h.ws, wf.id);
    at = sink.requests.length;
    const prod = await finished((await h.api.runWorkflow(h.ws, wf.id, { payload: { body: { name: 'Cy' }, query: {}, headers: {}, method: 'POST' } })).runId);
    expect(step(prod, 'prep')?.output).toEqual({ who: 'Cy', label: 'pin' });
    expect(sinkBodies(at)).toEqual([{ who: 'Cy', label: 'pin' }]);
    await expect(h.api.startTestRun(h.ws, wf.id, { step: 'nope' })).rejects.toMatchObject({ status: 400, code: 'OUT_ERR_VALIDATION' });
  });

  it('a one-shot test URL turns its next delivery into a test run', async () => {
    const wf = await h.api.createWorkflow(h.ws, flow('listen'));
    const listening = await h.api.listenForTestEvent(h.ws, wf.id);
    expect(await h.api.getTestEvent(h.ws, wf.id, listening.token)).toMatchObject({ status: 'listening' });
    const url = `${h.baseUrl}/api/test-events/${listening.token}`;
    const delivered = await fetch(`${url}?src=crm`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer secret' }, body: JSON.stringify({ name: 'Grace' }) });
    expect(delivered.status).toBe(202);
    const { runId } = (await delivered.json()) as { runId: string };
    expect(await h.api.getTestEvent(h.ws, wf.id, listening.token)).toMatchObject({ status: 'received', runId });
    const run = await finished(runId);
    expect(run.triggeredBy).toMatchObject({ source: 'test:test-event', test: {}, payload: { body: { name: 'Grace' }, query: { src: 'crm' }, method: 'POST' } });
    expect((run.triggeredBy.payload as { headers: Record<string, string> }).headers.authorization).toBeUndefined();
    expect(step(run, 'prep')?.output).toEqual({ who: 'Grace', label: 'listen' });
    // One delivery per URL; another workspace cannot read the listener.
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    const other = await stack.newWorkspace('editor-other');
    await expect(other.api.getTestEvent(other.ws, wf.id, listening.token)).rejects.toMatchObject({ status: 404 });
  });
});
