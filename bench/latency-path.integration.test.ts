/**
 * Issue 20, the webhook → run latency path: no fixed wait (poll interval, batching window, limiter tick) between a
 * webhook accepted and its run completed. Checked without timing anything: on the in-process stack, with every
 * `setTimeout`/`setInterval` frozen, the reference workload's run still completes — the path moves on
 * `setImmediate`, I/O and promises only. The control case shows the check catches a timer on the path.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStack, type Stack } from '@outrun/testing/stack';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
let stack: Stack;
let sink: HttpSink;
let ws: string;
let api: Awaited<ReturnType<Stack['newWorkspace']>>['api'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outrun-latency-path-'));
  sink = await startHttpSink();
  stack = await createStack({ file: join(dir, 'outrun.db'), encryptionKey: randomBytes(32).toString('hex') });
  ({ ws, api } = await stack.newWorkspace('latency-path'));
});
afterAll(async () => {
  vi.useRealTimers();
  await stack?.close();
  await sink?.close();
  await rm(dir, { recursive: true, force: true });
});

type WorkflowInput = Parameters<typeof api.createWorkflow>[1];
const reference = () =>
  JSON.parse(readFileSync(join(root, 'bench', 'reference-workflow.json'), 'utf8').replaceAll('{{SINK_URL}}', sink.url)).workflow as WorkflowInput & { nodes: Array<Record<string, unknown>>; edges: Array<Record<string, unknown>> };

/** Activates `workflow` with its webhook trigger renamed `triggerId`; @returns the webhook URL. */
async function activate(workflow: WorkflowInput, triggerId: string): Promise<string> {
  const renamed = JSON.parse(JSON.stringify(workflow).replaceAll('reference-hook', triggerId)) as WorkflowInput;
  const wf = await api.createWorkflow(ws, renamed);
  await api.activateWorkflow(ws, wf.id);
  return `${stack.baseUrl}/webhook/${ws}/${triggerId}`;
}

/** Posts the webhook with timers frozen; waits (on setImmediate, bounded by real time) for its run to complete. */
async function completesWithTimersFrozen(url: string, withinMs: number): Promise<boolean> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value":7}' });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const deadline = performance.now() + withinMs;
    while (performance.now() < deadline) {
      const run = await stack.store.runs.getRun(ws, runId);
      if (run?.status === 'completed') return true;
      expect(run?.status).not.toBe('failed');
      await new Promise((r) => setImmediate(r));
    }
    return false;
  } finally {
    vi.useRealTimers();
  }
}

describe('webhook → run completed: no fixed wait on the path', () => {
  it('the reference run completes with every timer frozen', async () => {
    const url = await activate(reference(), 'reference-hook');
    expect(await completesWithTimersFrozen(url, 20_000)).toBe(true);
    expect(sink.requests.some((r) => r.url === '/reference')).toBe(true);
  });

  it('control: a run with a 5 ms delay on its path does not complete while timers are frozen', async () => {
    const workflow = reference();
    workflow.name = 'with a delay';
    workflow.nodes.push({ id: 'wait', type: 'delay', position: { x: 100, y: 0 }, data: { duration: 5 } });
    workflow.edges[0] = { id: 'e1', source: 'trigger', target: 'wait' };
    workflow.edges.push({ id: 'e0', source: 'wait', target: 'score' });
    const url = await activate(workflow, 'delayed-hook');
    expect(await completesWithTimersFrozen(url, 2_000)).toBe(false);
  });
});
