/**
 * Composition, embedded (SQLite + in-process queue, the real gateway and a real runner): approvals (API, form,
 * signed links, timeout), wait-for-event, sub-workflows (wait, fire, failure, links, cycle, input schema, cancel,
 * the peer bug: an approval inside the child does not resume the parent early) and error handlers.
 */
import { signApprovalLink } from '@outrun/nodes';
import { reply } from '@outrun/testing/openai-server';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@outrun/schemas';
import { startCompositionWorld, type CompositionWorld } from '../test/composition-harness';
import { csrfTokenOf } from './http/authenticate';

let w: CompositionWorld;
let sink: HttpSink;
beforeAll(async () => {
  w = await startCompositionWorld();
  let flaky = 0;
  // `/flaky` fails its first call, then answers 200.
  sink = await startHttpSink({ respond: (req) => (req.url === '/flaky' && flaky++ === 0 ? { status: 500, body: { no: true } } : { status: 200, body: { ok: true } }) });
});
afterAll(async () => {
  await w?.close();
  await sink?.close();
});

const decide = (runId: string, stepId: string, body: unknown) =>
  w.h.fetch(`/api/workspaces/${w.h.ws}/runs/${runId}/approvals/${stepId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const form = { type: 'object', required: ['amount'], properties: { amount: { type: 'number', maximum: 500 } } };

/** start → ask(approval) ─approved→ yes / ─rejected→ no / ─timeout→ late */
async function approvalFlow(data: Record<string, unknown> = {}) {
  return w.workflow('approval', [
    { id: 'ask', type: 'approval', data: { title: 'Pay the invoice?', form, ...data } },
    { id: 'yes', type: 'set', data: { fields: [{ name: 'paid', value: '{{ steps.ask.answer.amount }}' }] } },
    { id: 'no', type: 'set', data: { fields: [{ name: 'paid', value: false }] } },
    { id: 'late', type: 'set', data: { fields: [{ name: 'late', value: true }] } },
  ], [['start', 'ask'], ['ask', 'yes', 'approved'], ['ask', 'no', 'rejected'], ['ask', 'late', 'timeout']]);
}

describe('approval node', () => {
  it('parks the run (waiting for approval:ask); the API checks the form, decides once, records the decider; the run resumes down the approved branch', async () => {
    const runId = await w.run(await approvalFlow());
    const waiting = await w.waiting(runId, 'approval:ask');
    expect(waiting).toMatchObject({ status: 'running' });
    expect(waiting.resumeAt).toBeDefined();
    expect(waiting.steps.find((s) => s.nodeId === 'ask')).toMatchObject({ status: 'waiting', output: { waitingFor: 'approval:ask', state: { title: 'Pay the invoice?', form } } });

    const bad = await decide(runId, 'ask', { decision: 'approve', answer: { amount: 9000 } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'OUT_ERR_APPROVAL_FORM', details: [{ path: 'body.answer.amount', message: 'must be ≤ 500' }] } });
    const wrongStep = await decide(runId, 'yes', { decision: 'approve' });
    expect(wrongStep.status).toBe(409);

    const [first, second] = await Promise.all([decide(runId, 'ask', { decision: 'approve', answer: { amount: 120 }, comment: 'ok' }), decide(runId, 'ask', { decision: 'reject' })]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const done = await w.terminal(runId);
    const winner = first.status === 200 ? 'approve' : 'reject';
    expect(done.status).toBe('completed');
    const ask = done.steps.find((s) => s.nodeId === 'ask');
    expect(ask).toMatchObject({ status: 'completed', handle: winner === 'approve' ? 'approved' : 'rejected', output: { decision: winner, decidedBy: expect.stringMatching(/^api-key:/), via: 'api' } });
    if (winner === 'approve') expect(done.steps.find((s) => s.nodeId === 'yes')).toMatchObject({ status: 'completed', output: { paid: 120 } });
    expect(done.waitingFor).toBeUndefined();
    expect((await decide(runId, 'ask', { decision: 'approve', answer: { amount: 1 } })).status).toBe(409);
  });

  it('a person decides with a session: a viewer gets 403, an operator decides and is recorded as the decider', async () => {
    const person = async (email: string, role: Role) => {
      const user = await w.h.temp.store.accounts.createUser({ email, passwordHash: null });
      await w.h.temp.store.accounts.setMembership(w.h.ws, user.id, role);
      const { token } = await w.h.temp.store.accounts.createSession(user.id, { idleMs: 3_600_000, absoluteMs: 3_600_000 });
      const headers = { 'content-type': 'application/json', cookie: `outrun_session=${token}; outrun_csrf=${csrfTokenOf(token)}`, 'x-csrf-token': csrfTokenOf(token), 'x-outrun-client': 'web' };
      return { user, decide: (runId: string, body: unknown) => fetch(`${w.h.baseUrl}/api/workspaces/${w.h.ws}/runs/${runId}/approvals/ask`, { method: 'POST', headers, body: JSON.stringify(body) }) };
    };
    const viewer = await person('vera@example.com', 'viewer');
    const operator = await person('otto@example.com', 'operator');
    const runId = await w.run(await approvalFlow());
    await w.waiting(runId, 'approval:ask');
    const refused = await viewer.decide(runId, { decision: 'approve', answer: { amount: 10 } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'OUT_ERR_FORBIDDEN', details: [{ path: 'permission', message: 'run:operate' }] } });
    expect((await w.getRun(runId)).waitingFor).toBe('approval:ask');
    const ok = await operator.decide(runId, { decision: 'approve', answer: { amount: 10 } });
    expect(ok.status).toBe(200);
    const done = await w.terminal(runId);
    expect(done.steps.find((s) => s.nodeId === 'ask')?.output).toMatchObject({
      decision: 'approve', decidedBy: 'user:otto@example.com', decidedByUser: { id: operator.user.id, email: 'otto@example.com' }, via: 'run-view',
    });
  });

  it('sends signed single-use links to notifyUrl; a link decides once, a tampered or expired one is refused', async () => {
    const runId = await w.run(await approvalFlow({ notifyUrl: `${sink.url}/approvals` }));
    await w.waiting(runId, 'approval:ask');
    const sent = JSON.parse(sink.requests.find((r) => r.url === '/approvals')!.body) as { approveUrl: string; rejectUrl: string; runId: string; stepId: string };
    expect(sent).toMatchObject({ runId, stepId: 'ask', title: 'Pay the invoice?' });
    const run = await w.getRun(runId);
    expect(JSON.stringify(run)).not.toContain(sent.approveUrl.split('/').pop()!); // the links never reach the run record
    const token = sent.rejectUrl.split('/api/approvals/')[1]!;
    const info = await fetch(`${w.h.baseUrl}/api/approvals/${token}`);
    expect(await info.json()).toMatchObject({ runId, stepId: 'ask', decision: 'reject', title: 'Pay the invoice?', waiting: true });

    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await fetch(`${w.h.baseUrl}/api/approvals/${tampered}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    const expired = signApprovalLink(w.linkKey, { ws: w.h.ws, run: runId, step: 'ask', d: 'approve', exp: Date.now() - 1 });
    const expiredRes = await fetch(`${w.h.baseUrl}/api/approvals/${expired}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(expiredRes.status).toBe(403);
    expect(await expiredRes.json()).toMatchObject({ error: { code: 'OUT_ERR_APPROVAL_LINK' } });

    const use = () => fetch(`${w.h.baseUrl}/api/approvals/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ comment: 'no budget' }) });
    expect((await use()).status).toBe(200);
    expect((await use()).status).toBe(409);
    const done = await w.terminal(runId);
    expect(done.steps.find((s) => s.nodeId === 'ask')).toMatchObject({ handle: 'rejected', output: { decision: 'reject', decidedBy: 'signed-link', via: 'link', comment: 'no budget' } });
    expect(done.steps.find((s) => s.nodeId === 'no')?.status).toBe('completed');
  });

  it('takes the timeout branch at the deadline', async () => {
    const runId = await w.run(await approvalFlow({ timeoutMs: 1000 }));
    const done = await w.terminal(runId);
    expect(done.status).toBe('completed');
    expect(done.steps.find((s) => s.nodeId === 'ask')).toMatchObject({ handle: 'timeout', output: { decision: 'timeout' } });
    expect(done.steps.find((s) => s.nodeId === 'late')?.status).toBe('completed');
    expect((await decide(runId, 'ask', { decision: 'approve', answer: { amount: 1 } })).status).toBe(409);
  });
});

describe('wait-for-event node', () => {
  it('resumes exactly the runs waiting for that event name and key, with the payload as output', async () => {
    const wf = await w.workflow('wait-event', [
      { id: 'paid', type: 'wait-for-event', data: { event: 'order.paid', key: '{{ trigger.orderId }}', timeoutMs: 60_000 } },
      { id: 'ship', type: 'set', data: { fields: [{ name: 'amount', value: '{{ steps.paid.payload.amount }}' }] } },
    ], [['start', 'paid'], ['paid', 'ship', 'received']]);
    const a1 = await w.run(wf, { orderId: 'A/1' });
    const a2 = await w.run(wf, { orderId: 'A/1' });
    const b = await w.run(wf, { orderId: 'B' });
    await Promise.all([a1, a2, b].map((id) => w.waiting(id)));
    const post = (body: unknown) => w.h.fetch(`/api/workspaces/${w.h.ws}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await post({ name: 'order.paid', key: 'A/1', payload: { amount: 42 } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { resumed: number; runIds: string[] };
    expect(body.resumed).toBe(2);
    expect(body.runIds.sort()).toEqual([a1, a2].sort());
    for (const id of [a1, a2]) expect((await w.terminal(id)).steps.find((s) => s.nodeId === 'ship')).toMatchObject({ status: 'completed', output: { amount: 42 } });
    expect((await w.getRun(b)).status).toBe('running');
    expect(await (await post({ name: 'order.paid', key: 'A/1', payload: {} })).json()).toEqual({ resumed: 0, runIds: [] });
    expect((await post({ name: '', key: 'x' })).status).toBe(400);
    await w.h.api.cancelRun(w.h.ws, b);
  });
});

describe('workflow node (sub-workflows)', () => {
  it('waits for its child (parked, no early resume while the child waits on its own approval), links both ways, returns the child output', async () => {
    const child = await w.workflow('child', [
      { id: 'gate', type: 'approval', data: { title: 'child gate' } },
      { id: 'double', type: 'set', data: { fields: [{ name: 'n', value: '{{ trigger.n * 2 }}' }] } },
    ], [['start', 'gate'], ['gate', 'double', 'approved']]);
    const parent = await w.workflow('parent', [
      { id: 'call', type: 'workflow', data: { workflowId: child, input: { n: '{{ trigger.n }}' } } },
      { id: 'after', type: 'set', data: { fields: [{ name: 'got', value: '{{ steps.call.n }}' }] } },
    ], [['start', 'call'], ['call', 'after']]);
    const parentRun = await w.run(parent, { n: 21 });
    const waitingParent = await w.waiting(parentRun);
    const childRunId = waitingParent.waitingFor!.replace('child:', '');
    const childRun = await w.waiting(childRunId, 'approval:gate');
    expect(childRun).toMatchObject({ parentRunId: parentRun, parentStepId: 'call', workflowId: child, triggeredBy: { payload: { n: 21 } } });
    // The peer bug: the child parking on its approval must not resume the parent.
    await new Promise((r) => setTimeout(r, 300));
    expect(await w.getRun(parentRun)).toMatchObject({ status: 'running', waitingFor: `child:${childRunId}` });
    expect((await w.getRun(parentRun)).steps.find((s) => s.nodeId === 'after')).toBeUndefined();

    expect((await decide(childRunId, 'gate', { decision: 'approve' })).status).toBe(200);
    const done = await w.terminal(parentRun);
    expect(done.status).toBe('completed');
    expect(done.steps.find((s) => s.nodeId === 'call')).toMatchObject({ status: 'completed', output: { n: 42 } });
    expect(done.steps.find((s) => s.nodeId === 'after')).toMatchObject({ output: { got: 42 } });
    expect((await w.getRun(childRunId)).status).toBe('completed');
    const children = await w.h.api.listRuns(w.h.ws, { workflowId: child });
    expect(children.items.filter((r) => r.parentRunId === parentRun)).toHaveLength(1);
  });

  it("a failing child fails the node with the child's error code; each retry starts a fresh child", async () => {
    const child = await w.workflow('bad-child', [{ id: 'boom', type: 'http-request', data: { method: 'GET', url: 'http://127.0.0.1:1/nothing' }, settings: { retry: { maxRetries: 0 } } }], [['start', 'boom']]);
    const parent = await w.workflow('bad-parent', [{ id: 'call', type: 'workflow', data: { workflowId: child }, settings: { retry: { maxRetries: 1, initialDelay: 10, jitter: 0 } } }], [['start', 'call']]);
    const runId = await w.run(parent);
    const done = await w.terminal(runId, 30_000);
    expect(done.status).toBe('failed');
    const kids = (await w.h.api.listRuns(w.h.ws, { workflowId: child })).items.filter((r) => r.parentRunId === runId);
    expect(kids).toHaveLength(2);
    expect(kids.every((k) => k.status === 'failed')).toBe(true);
    expect(done.error?.code).toBe(kids[0]!.error?.code);
    expect(done.error?.message).toMatch(/^Child run .* failed/);
  });

  it("rolls the child's tokens and cost up into the parent's usage", async () => {
    w.openai.script([reply.text('hello', { inputTokens: 100, outputTokens: 20 })]);
    const child = await w.workflow('ai-child', [{ id: 'agent', type: 'ai-agent', data: { instructions: 'Say hello', model: 'gpt-4o-mini' } }], [['start', 'agent']]);
    const parent = await w.workflow('ai-parent', [{ id: 'call', type: 'workflow', data: { workflowId: child } }], [['start', 'call']]);
    const done = await w.terminal(await w.run(parent));
    expect(done.status).toBe('completed');
    const kid = (await w.h.api.listRuns(w.h.ws, { workflowId: child })).items.find((r) => r.parentRunId === done.id)!;
    expect(kid.usage.aiTokensUsed).toBe(120);
    expect(done.usage.aiTokensUsed).toBe(120);
    expect(done.usage.estimatedCost).toBeCloseTo(kid.usage.estimatedCost, 10);
    expect(done.steps.find((s) => s.nodeId === 'call')?.usage).toMatchObject({ totalTokens: 120 });
  });

  it('fans out one child per item and returns their outputs in item order', async () => {
    const child = await w.workflow('item-child', [
      { id: 'maybe-wait', type: 'delay', data: { duration: 1500 } },
      { id: 'label', type: 'set', data: { fields: [{ name: 'label', value: '{{ trigger.prefix & "-" & trigger.item }}' }, { name: 'i', value: '{{ trigger.index }}' }] } },
    ], [['start', 'maybe-wait'], ['maybe-wait', 'label']]);
    const parent = await w.workflow('fan-parent', [{ id: 'each', type: 'workflow', data: { workflowId: child, forEach: '{{ trigger.items }}', input: { prefix: 'p' } } }], [['start', 'each']]);
    const done = await w.terminal(await w.run(parent, { items: ['a', 'b', 'c'] }), 30_000);
    expect(done.status).toBe('completed');
    expect(done.steps.find((s) => s.nodeId === 'each')?.output).toMatchObject([{ label: 'p-a', i: 0 }, { label: 'p-b', i: 1 }, { label: 'p-c', i: 2 }]);
    const kids = (await w.h.api.listRuns(w.h.ws, { workflowId: child })).items.filter((r) => r.parentRunId === done.id);
    expect(kids).toHaveLength(3);
  });

  it('fire-and-forget returns the child run id at once', async () => {
    const child = await w.workflow('fire-child', [{ id: 's', type: 'set', data: { fields: [{ name: 'x', value: 1 }] } }], [['start', 's']]);
    const parent = await w.workflow('fire-parent', [{ id: 'call', type: 'workflow', data: { workflowId: child, mode: 'fire' } }], [['start', 'call']]);
    const done = await w.terminal(await w.run(parent));
    const out = done.steps.find((s) => s.nodeId === 'call')?.output as { runId: string };
    expect(done.status).toBe('completed');
    expect((await w.terminal(out.runId)).parentRunId).toBe(done.id);
  });

  it('refuses a cycle and an input that does not match the child input schema, with clear codes', async () => {
    const self = await w.workflow('self', [], []);
    const input = await w.workflow('typed', [{ id: 's', type: 'noop' }], [['start', 's']], { inputSchema: { type: 'object', required: ['email'], properties: { email: { type: 'string', minLength: 3 } } } });
    await w.h.api.updateWorkflow(w.h.ws, self, {
      name: 'self', triggers: [{ id: 't-self-loop', type: 'manual' }],
      nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 't-self-loop' } }, { id: 'again', type: 'workflow', position: { x: 0, y: 0 }, data: { workflowId: self } }],
      edges: [{ id: 'e', source: 'start', target: 'again' }],
    });
    // Visible at activation: refused with the node named; through another workflow too.
    const activate = await w.h.fetch(`/api/workspaces/${w.h.ws}/workflows/${self}/activate`, { method: 'POST' });
    expect(activate.status).toBe(422);
    expect(await activate.json()).toMatchObject({ error: { code: 'OUT_ERR_SUBWORKFLOW_CYCLE', details: [{ path: 'nodes.1.data.workflowId' }] } });
    const loop = await w.terminal(await w.run(self));
    expect(loop.error).toMatchObject({ code: 'OUT_ERR_SUBWORKFLOW_CYCLE', nodeId: 'again' });
    const caller = await w.workflow('typed-caller', [{ id: 'call', type: 'workflow', data: { workflowId: input, input: { email: 1 } } }], [['start', 'call']]);
    const bad = await w.terminal(await w.run(caller));
    expect(bad.error).toMatchObject({ code: 'OUT_ERR_SUBWORKFLOW_INPUT' });
    expect(bad.error?.message).toContain('input.email must be string');
  });

  it('retrying the parent from its failed step starts a fresh child', async () => {
    const child = await w.workflow('flaky-child', [{ id: 'call', type: 'http-request', data: { method: 'GET', url: `${sink.url}/flaky` }, settings: { retry: { maxRetries: 0 } } }], [['start', 'call']]);
    const parent = await w.workflow('flaky-parent', [{ id: 'sub', type: 'workflow', data: { workflowId: child }, settings: { retry: { maxRetries: 0 } } }], [['start', 'sub']]);
    const first = await w.terminal(await w.run(parent));
    expect(first.status).toBe('failed');
    const retried = await w.h.api.retryRun(w.h.ws, first.id, { fromFailedStep: true });
    const second = await w.terminal(retried.runId);
    expect(second.status).toBe('completed');
    const [a] = (await w.h.api.listRuns(w.h.ws, { parentRunId: first.id })).items;
    const [b] = (await w.h.api.listRuns(w.h.ws, { parentRunId: second.id })).items;
    expect(a?.status).toBe('failed');
    expect(b?.status).toBe('completed');
    expect(b?.id).not.toBe(a?.id);
  });

  it('refuses to nest deeper than 10 (OUT_ERR_SUBWORKFLOW_DEPTH)', async () => {
    // level0 → level1 → … → level11, each firing the next: the run at depth 10 may not start depth 11.
    const ids: string[] = [await w.workflow('level11', [{ id: 'n', type: 'noop' }], [['start', 'n']])];
    for (let level = 10; level >= 0; level--) ids.unshift(await w.workflow(`level${level}`, [{ id: 'next', type: 'workflow', data: { workflowId: ids[0], mode: 'fire' } }], [['start', 'next']]));
    await w.terminal(await w.run(ids[0]!));
    const deepest = await (async () => {
      for (let i = 0; i < 400; i++) {
        const items = (await w.h.api.listRuns(w.h.ws, { workflowId: ids[10]! })).items;
        if (items[0] && ['completed', 'failed'].includes(items[0].status)) return items[0];
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('depth 10 never ran');
    })();
    expect(deepest.error).toMatchObject({ code: 'OUT_ERR_SUBWORKFLOW_DEPTH', nodeId: 'next' });
    expect((await w.h.api.listRuns(w.h.ws, { workflowId: ids[11]! })).items).toEqual([]);
    expect((await w.h.api.listRuns(w.h.ws, { workflowId: ids[9]! })).items[0]?.status).toBe('completed');
  });

  it('cancelling the parent cancels the child it waits for', async () => {
    const child = await w.workflow('slow-child', [{ id: 'gate', type: 'approval' }], [['start', 'gate']]);
    const parent = await w.workflow('cancel-parent', [{ id: 'call', type: 'workflow', data: { workflowId: child } }], [['start', 'call']]);
    const runId = await w.run(parent);
    const childId = (await w.waiting(runId)).waitingFor!.replace('child:', '');
    await w.waiting(childId, 'approval:gate');
    await w.h.api.cancelRun(w.h.ws, runId);
    expect((await w.terminal(childId)).status).toBe('cancelled');
    expect((await w.getRun(runId)).status).toBe('cancelled');
  });

  it('cancelling a fanning-out parent cancels every unfinished child', async () => {
    const child = await w.workflow('fan-gate-child', [{ id: 'gate', type: 'approval' }], [['start', 'gate']]);
    const parent = await w.workflow('fan-cancel-parent', [{ id: 'each', type: 'workflow', data: { workflowId: child, forEach: [1, 2, 3] } }], [['start', 'each']]);
    const runId = await w.run(parent);
    await w.waiting(runId);
    const kids = async () => (await w.h.api.listRuns(w.h.ws, { parentRunId: runId })).items;
    for (const k of await kids()) await w.waiting(k.id, 'approval:gate');
    await w.h.api.cancelRun(w.h.ws, runId);
    for (const k of await kids()) expect((await w.terminal(k.id)).status).toBe('cancelled');
    expect(await kids()).toHaveLength(3);
  });
});

describe('error handlers and on-error output', () => {
  it('starts settings.errorWorkflowId once with what failed; a failing handler does not trigger itself', async () => {
    const handler = await w.workflow('handler', [{ id: 'fail-too', type: 'http-request', data: { method: 'GET', url: 'http://127.0.0.1:1/x' }, settings: { retry: { maxRetries: 0 } } }], [['start', 'fail-too']]);
    await w.h.api.updateWorkflow(w.h.ws, handler, {
      name: 'handler', triggers: [{ id: 't-handler-2', type: 'manual' }],
      nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 't-handler-2' } }, { id: 'fail-too', type: 'http-request', position: { x: 0, y: 0 }, data: { method: 'GET', url: 'http://127.0.0.1:1/x' }, settings: { retry: { maxRetries: 0 } } }],
      edges: [{ id: 'e', source: 'start', target: 'fail-too' }],
      settings: { errorWorkflowId: handler },
    });
    const failing = await w.workflow('failing', [{ id: 'boom', type: 'http-request', data: { method: 'GET', url: 'http://127.0.0.1:1/y' }, settings: { retry: { maxRetries: 0 } } }], [['start', 'boom']], { errorWorkflowId: handler });
    const runId = await w.run(failing);
    const failed = await w.terminal(runId);
    expect(failed.status).toBe('failed');
    const handlerRuns = async () => (await w.h.api.listRuns(w.h.ws, { workflowId: handler })).items;
    const [handled] = await (async () => {
      for (let i = 0; i < 200; i++) {
        const items = await handlerRuns();
        if (items.length > 0 && items.every((r) => r.status === 'failed')) return items;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('no handler run');
    })();
    expect(handled!.triggeredBy).toMatchObject({ source: `error-handler:${runId}`, payload: { failedRun: { id: runId, workflowId: failing, failedNodeId: 'boom', error: { code: failed.error!.code } } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await handlerRuns()).toHaveLength(1);
  });

  it('a crash between starting the handler and writing the failure still starts the handler exactly once', async () => {
    const handler = await w.workflow('handler-once', [{ id: 'n', type: 'noop' }], [['start', 'n']]);
    const failing = await w.workflow('failing-crash', [{ id: 'boom', type: 'http-request', data: { method: 'GET', url: 'http://127.0.0.1:1/c' }, settings: { retry: { maxRetries: 0 } } }], [['start', 'boom']], { errorWorkflowId: handler });
    const runs = w.h.temp.store.runs;
    const original = runs.finishRun.bind(runs);
    let crashes = 0;
    // The store "crashes" on the first failure write of this workflow's run: the handler was already accepted.
    runs.finishRun = async (ws, runId, input) => {
      const run = await runs.getRun(ws, runId);
      if (run?.workflowId === failing && input.status === 'failed' && crashes++ === 0) throw new Error('store went away');
      return original(ws, runId, input);
    };
    try {
      const runId = await w.run(failing);
      const failed = await w.terminal(runId, 20_000);
      expect(failed.status).toBe('failed');
      expect(crashes).toBe(2);
      const handled = (await w.h.api.listRuns(w.h.ws, { workflowId: handler })).items;
      expect(handled).toHaveLength(1);
      expect(handled[0]!.triggeredBy.source).toBe(`error-handler:${runId}`);
    } finally {
      runs.finishRun = original;
    }
  });

  it('a node with on error "error-output" continues through its error handle', async () => {
    const wf = await w.workflow('error-output', [
      { id: 'call', type: 'http-request', data: { method: 'GET', url: 'http://127.0.0.1:1/z' }, settings: { retry: { maxRetries: 0 }, onError: 'error-output' } },
      { id: 'ok', type: 'noop' },
      { id: 'recover', type: 'set', data: { fields: [{ name: 'code', value: '{{ input.error.code }}' }] } },
    ], [['start', 'call'], ['call', 'ok'], ['call', 'recover', 'error']]);
    const done = await w.terminal(await w.run(wf));
    expect(done.status).toBe('completed');
    expect(done.steps.find((s) => s.nodeId === 'ok')?.status).toBe('skipped');
    expect(done.steps.find((s) => s.nodeId === 'recover')?.output).toMatchObject({ code: expect.stringMatching(/^OUT_ERR_/) });
  });
});
