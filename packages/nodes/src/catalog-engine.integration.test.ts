/**
 * The real engine (`executeWorkflow`, `validateWorkflow`) driving the real catalog: routing, merge of a
 * skipped branch, respond, durable delay park/resume, and http-request retries with per-attempt
 * idempotency keys against a local server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, executeWorkflow, seededRandom, systemClock, validateWorkflow, type EngineStep, type ExecuteWorkflowOptions } from '@outrun/engine';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { createNodeCatalog } from './catalog';
import { createHttpClient, type PooledHttpClient } from './http/create-http-client';

const catalog = createNodeCatalog();
type Workflow = ExecuteWorkflowOptions['workflow'];
const settings: Workflow['settings'] = { timeout: 60_000, retryPolicy: { maxRetries: 2, backoffStrategy: 'fixed', initialDelay: 10, maxDelay: 10, jitter: 0 } };

function workflow(nodes: Array<[string, string, Record<string, unknown>]>, edges: Array<[string, string, string?]>): Workflow {
  return {
    id: 'wf-1',
    workspaceId: 'ws-1',
    nodes: nodes.map(([id, type, data]) => ({ id, type, data })),
    edges: edges.map(([source, target, sourceHandle], i) => ({ id: `e${i}`, source, target, sourceHandle: sourceHandle ?? null })),
    settings,
  };
}

async function run(wf: Workflow, payload: unknown, extra: Partial<ExecuteWorkflowOptions> = {}) {
  const steps: EngineStep[] = [];
  const result = await executeWorkflow({
    workflow: wf,
    runId: 'run-1',
    trigger: { triggerId: 't1', type: 'webhook', payload: payload as never },
    catalog,
    clock: createFakeClock({ autoAdvance: true }),
    random: seededRandom(1),
    hooks: { onStepFinish: (s) => void steps.push(s) },
    ...extra,
  });
  return { result, steps };
}

const sinks: HttpSink[] = [];
const clients: PooledHttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

describe('catalog under the engine', () => {
  //            ┌─ true ─► vip (set) ──────┐
  // trigger ─► big? (condition)           merge ─► reply (respond)
  //            └─ false ► normal (transform)┘
  const routed = workflow(
    [
      ['trigger', 'trigger', { triggerId: 't1' }],
      ['big', 'condition', { left: '{{ input.amount }}', operator: 'gt', right: 100 }],
      ['vip', 'set', { fields: [{ name: 'tier', value: 'vip' }] }],
      ['normal', 'transform', { expression: '{"tier": "normal", "amount": input.amount}' }],
      ['merge', 'merge', { mode: 'first' }],
      ['reply', 'respond', { status: 201, body: '{{ input }}' }],
    ],
    [['trigger', 'big'], ['big', 'vip', 'true'], ['big', 'normal', 'false'], ['vip', 'merge'], ['normal', 'merge'], ['merge', 'reply']],
  );

  it('validates cleanly', () => {
    expect(validateWorkflow({ ...routed, triggers: [{ id: 't1', type: 'webhook' }] } as never, catalog)).toEqual([]);
  });

  it('routes by the condition handle, merges the one live branch and responds', async () => {
    const high = await run(routed, { amount: 500 });
    expect(high.result.status).toBe('completed');
    expect(high.result.response).toEqual({ status: 201, headers: {}, body: { amount: 500, tier: 'vip' } });
    expect(high.steps.find((s) => s.nodeId === 'normal')?.status).toBe('skipped');

    const low = await run(routed, { amount: 5 });
    expect(low.result.response?.body).toEqual({ tier: 'normal', amount: 5 });
    expect(low.steps.find((s) => s.nodeId === 'vip')?.status).toBe('skipped');
  });

  it('keys the one live branch by its node id in object mode (the engine passes merge a map)', async () => {
    const byId = { ...routed, nodes: routed.nodes.map((n) => (n.id === 'merge' ? { ...n, data: { mode: 'object' } } : n)) };
    const { result } = await run(byId, { amount: 500 });
    expect(result.outputs.merge).toEqual({ vip: { amount: 500, tier: 'vip' } });
  });

  it('merges parallel branches as an array', async () => {
    const fanOut = workflow(
      [
        ['trigger', 'trigger', { triggerId: 't1' }],
        ['a', 'set', { fields: [{ name: 'branch', value: 'a' }], keepInput: false }],
        ['b', 'set', { fields: [{ name: 'branch', value: 'b' }], keepInput: false }],
        ['m', 'merge', {}],
      ],
      [['trigger', 'a'], ['trigger', 'b'], ['a', 'm'], ['b', 'm']],
    );
    const { result } = await run(fanOut, {});
    expect(result.outputs.m).toEqual([{ branch: 'a' }, { branch: 'b' }]);
  });

  it('parks on a long delay and completes when resumed after resumeAt', async () => {
    const delayed = workflow(
      [
        ['trigger', 'trigger', { triggerId: 't1' }],
        ['wait', 'delay', { duration: 3_600_000 }],
        ['after', 'noop', {}],
      ],
      [['trigger', 'wait'], ['wait', 'after']],
    );
    const clock = createFakeClock({ start: 1_000_000 });
    const first = await run(delayed, { x: 1 }, { clock });
    expect(first.result).toMatchObject({ status: 'parked', resumeAt: 1_000_000 + 3_600_000 });
    await clock.advance(3_600_000);
    const second = await run(delayed, { x: 1 }, { clock, recordedSteps: first.steps });
    expect(second.result.status).toBe('completed');
    expect(second.result.outputs.after).toEqual({ x: 1 });
  });

  it('retries http-request on 503 with a new idempotency key per attempt and counts the call', async () => {
    let calls = 0;
    const sink = await startHttpSink({ respond: () => (++calls === 1 ? { status: 503 } : { status: 200, body: { ok: 'second' } }) });
    sinks.push(sink);
    const http = createHttpClient({ allowList: [`127.0.0.1:${sink.port}`] });
    clients.push(http);
    const wf = workflow(
      [
        ['trigger', 'trigger', { triggerId: 't1' }],
        ['call', 'http-request', { method: 'POST', url: `${sink.url}/hook`, bodyType: 'json', body: '{{ input }}' }],
      ],
      [['trigger', 'call']],
    );
    // Real I/O needs the real clock: an auto-advancing fake clock would fire the run timeout while the request is in flight.
    const { result } = await run(wf, { lead: 'John Doe' }, { services: { http }, clock: systemClock });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(result.outputs.call).toMatchObject({ status: 200, body: { ok: 'second' } });
    expect(sink.requests.map((r) => r.headers['idempotency-key'])).toEqual(['run-1:call:1', 'run-1:call:2']);
    expect(sink.requests.every((r) => r.body === '{"lead":"John Doe"}')).toBe(true);
    expect(result.usage.webhooksCalled).toBe(1);
  });

  it('does not retry a blocked (SSRF) request', async () => {
    const wf = workflow(
      [
        ['trigger', 'trigger', { triggerId: 't1' }],
        ['call', 'http-request', { url: 'http://169.254.169.254/latest/meta-data/' }],
      ],
      [['trigger', 'call']],
    );
    const http = createHttpClient();
    clients.push(http);
    const { result, steps } = await run(wf, {}, { services: { http }, clock: systemClock });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'OUT_ERR_SSRF_BLOCKED', nodeId: 'call' } });
    expect(steps.filter((s) => s.nodeId === 'call')).toHaveLength(1);
  });
});
