/**
 * The embedded stack (`createStack()`: the gateway, the listener in-process and the real runner built by their
 * composition roots on one SQLite file and the in-process queue): templates run end to end against local test
 * servers. The gateway's HTTP proxy to a separate listener is covered by `webhook-proxy.integration.test.ts`.
 */
import { createHmac } from 'node:crypto';
import type { SseMessage, WorkflowApi } from '@outrun/client';
import { signStandardWebhook } from '@outrun/listener';
import type { Workflow, WorkflowInputRaw } from '@outrun/schemas';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { createTempStack, type Stack } from '@outrun/testing/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test/api-harness';

let stack: Stack;
/** The test workspace: its id, a client with its key, and the gateway's URL. */
let h: { ws: string; api: WorkflowApi; baseUrl: string };
let sink: HttpSink;
let openai: OpenAiServer;
/** The sink answers 500 on `/fail…` while this is true. */
let failing = true;
const listener = { reload: () => stack.listener.reload() };

beforeAll(async () => {
  sink = await startHttpSink({ respond: (req) => ({ status: req.url.startsWith('/down') ? 503 : failing && req.url.startsWith('/fail') ? 500 : 200, body: { ok: true, company: 'Acme', industry: 'widgets' } }) });
  openai = await startOpenAiServer();
  stack = await createTempStack({ env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test', OPENAI_API_MODE: 'chat_completions' } });
  const { ws, api } = await stack.newWorkspace('stack');
  h = { ws, api, baseUrl: stack.baseUrl };
});

afterAll(async () => {
  await stack?.close();
  await sink?.close();
  await openai?.close();
});

/** Instantiates a template, points its http-request nodes at the sink, activates it. */
async function fromTemplate(templateId: string, patch: (wf: Workflow) => Workflow = (wf) => wf): Promise<Workflow> {
  const draft = await h.api.instantiateTemplate(h.ws, templateId);
  const nodes = draft.nodes.map((n) => (n.type === 'http-request' ? { ...n, data: { ...n.data, url: `${sink.url}/${n.id}` } } : n));
  const { id: _id, workspaceId: _ws, status: _s, version: _v, stats: _st, createdAt: _c, updatedAt: _u, ...body } = patch({ ...draft, nodes });
  await h.api.updateWorkflow(h.ws, draft.id, body);
  const active = await h.api.activateWorkflow(h.ws, draft.id);
  await listener.reload();
  return active;
}

async function finished(runId: string) {
  return waitFor(async () => {
    const run = await h.api.getRun(h.ws, runId);
    return ['completed', 'failed', 'cancelled'].includes(run.status) ? run : null;
  }, 15_000);
}

describe('webhooks through the gateway', () => {
  it('form submission template: sync webhook validates, stores and answers 201 / 422', async () => {
    const wf = await fromTemplate('form-submission');
    const path = `/webhook/${h.ws}/${wf.triggers[0]?.id}`;
    const ok = await fetch(`${h.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }) });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { ok: boolean; id: string };
    expect(body.ok).toBe(true);
    expect((await h.api.getDocument(h.ws, 'submissions', body.id)).data).toMatchObject({ name: 'Ada', email: 'ada@example.com' });
    const bad = await fetch(`${h.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '', email: 'nope' }) });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({ ok: false, error: 'name and a valid email are required' });
  });

  it('lead classification template: hmac-signed webhook (rotated secret) → AI → condition → notify, with usage', async () => {
    const wf = await fromTemplate('lead-classification');
    const triggerId = wf.triggers[0]?.id ?? '';
    const { secret } = await h.api.rotateTriggerSecret(h.ws, wf.id, triggerId);
    await listener.reload();
    openai.script([reply.json({ classification: 'hot_lead', confidence: 0.92 }, { inputTokens: 100, outputTokens: 50, cachedTokens: 0 })]);
    const body = JSON.stringify({ text: 'John Doe from Acme Corp' });
    const ts = Math.floor(Date.now() / 1000);
    const send = (signature: string) =>
      fetch(`${h.baseUrl}/webhook/${h.ws}/${triggerId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': `msg_${ts}`, 'webhook-timestamp': String(ts), 'webhook-signature': signature },
        body,
      });
    expect((await send('v1,AAAA')).status).toBe(401);
    const accepted = await send(signStandardWebhook(secret, `msg_${ts}`, ts, body));
    expect(accepted.status).toBe(202);
    const { runId, statusUrl } = (await accepted.json()) as { runId: string; statusUrl: string };
    expect(statusUrl).toContain(runId);
    const run = await finished(runId);
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'classify')?.output).toMatchObject({ output: { classification: 'hot_lead', confidence: 0.92 } });
    expect(run.usage.aiTokensUsed).toBe(150);
    const notified = sink.requests.find((r) => r.url === '/notify-sales');
    expect(notified && JSON.parse(notified.body)).toMatchObject({ confidence: 0.92 });
    const detail = await h.api.getTrigger(h.ws, wf.id, triggerId);
    await waitFor(async () => (await h.api.getTrigger(h.ws, wf.id, triggerId)).stats.authFailures >= 1);
    expect(detail.webhookUrl).toContain(`/webhook/${h.ws}/${triggerId}`);
  });

  it('stripe template: signed event routed by type', async () => {
    const wf = await fromTemplate('stripe-payments');
    const triggerId = wf.triggers[0]?.id ?? '';
    const { secret } = await h.api.rotateTriggerSecret(h.ws, wf.id, triggerId);
    await listener.reload();
    const body = JSON.stringify({ type: 'charge.refunded', data: { object: { id: 'ch_1', amount_refunded: 500 } } });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    const res = await fetch(`${h.baseUrl}/webhook/${h.ws}/${triggerId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` }, body });
    expect(res.status).toBe(202);
    const run = await finished(((await res.json()) as { runId: string }).runId);
    expect(run.status).toBe('completed');
    expect(run.steps.filter((s) => s.status === 'completed').map((s) => s.nodeId)).toContain('book-refund');
    expect(run.steps.find((s) => s.nodeId === 'fulfil')?.status ?? 'skipped').toBe('skipped');
  });

  it('data enrichment template: an API insert starts a run that writes back onto the document', async () => {
    await fromTemplate('data-enrichment');
    const { id } = await h.api.insertDocument(h.ws, 'contacts', { email: 'ceo@acme.test' });
    const doc = await waitFor(async () => {
      const d = await h.api.getDocument(h.ws, 'contacts', id);
      return d.data.company ? d : null;
    }, 15_000);
    expect(doc.data).toMatchObject({ email: 'ceo@acme.test', company: 'Acme', industry: 'widgets' });
  });
});

describe('more templates end to end', () => {
  it('github issue triage: signed delivery routed by action', async () => {
    const wf = await fromTemplate('github-issue-triage');
    const triggerId = wf.triggers[0]?.id ?? '';
    const { secret } = await h.api.rotateTriggerSecret(h.ws, wf.id, triggerId);
    await listener.reload();
    const body = JSON.stringify({ action: 'opened', issue: { number: 42, title: 'Crash on save', html_url: 'https://github.test/i/42', labels: [] } });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const res = await fetch(`${h.baseUrl}/webhook/${h.ws}/${triggerId}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-hub-signature-256': signature }, body,
    });
    expect(res.status).toBe(202);
    const run = await finished(((await res.json()) as { runId: string }).runId);
    expect(run.status).toBe('completed');
    const announced = sink.requests.find((r) => r.url === '/announce-new');
    expect(announced && JSON.parse(announced.body)).toMatchObject({ text: 'New issue #42: Crash on save' });
    expect(run.steps.find((s) => s.nodeId === 'close-ticket')?.status ?? 'skipped').toBe('skipped');
  });

  it('csv upload: parsed, reshaped and posted in one bulk request', async () => {
    const wf = await fromTemplate('csv-bulk-post');
    const triggerId = wf.triggers[0]?.id ?? '';
    const { secret } = await h.api.rotateTriggerSecret(h.ws, wf.id, triggerId);
    await listener.reload();
    const csv = 'email,name,plan\nADA@EXAMPLE.COM,Ada,pro\nbob@example.com,Bob,\n';
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${h.baseUrl}/webhook/${h.ws}/${triggerId}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'webhook-id': `csv_${ts}`, 'webhook-timestamp': String(ts), 'webhook-signature': signStandardWebhook(secret, `csv_${ts}`, ts, csv) },
      body: csv,
    });
    expect(res.status).toBe(202);
    const run = await finished(((await res.json()) as { runId: string }).runId);
    expect(run.status).toBe('completed');
    const posted = sink.requests.find((r) => r.url === '/bulk-post');
    expect(posted && JSON.parse(posted.body)).toEqual({
      records: [{ email: 'ada@example.com', name: 'Ada', plan: 'pro' }, { email: 'bob@example.com', name: 'Bob', plan: 'free' }],
    });
  });

  it('health check: a failing probe sends an alert (run through its schedule trigger)', async () => {
    const wf = await fromTemplate('http-health-check', (w) => ({ ...w, nodes: w.nodes.map((n) => (n.id === 'probe' ? { ...n, data: { ...n.data, url: `${sink.url}/down` } } : n)) }));
    const scheduledAt = new Date().toISOString();
    const { runId } = await h.api.runWorkflow(h.ws, wf.id, { triggerId: wf.triggers[0]?.id ?? '', payload: { scheduledAt } });
    const run = await finished(runId);
    expect(run.status).toBe('completed');
    const alert = sink.requests.find((r) => r.url === '/alert');
    expect(alert && JSON.parse(alert.body)).toMatchObject({ text: `Health check failed at ${scheduledAt}`, status: 503 });
  });

  it('daily digest: fetch → AI summary → post', async () => {
    const wf = await fromTemplate('daily-digest');
    openai.script([reply.text('• Shipped v2\n• Fixed login', { inputTokens: 40, outputTokens: 10, cachedTokens: 0 })]);
    const { runId } = await h.api.runWorkflow(h.ws, wf.id, { triggerId: wf.triggers[0]?.id ?? '', payload: { scheduledAt: new Date().toISOString() } });
    const run = await finished(runId);
    expect(run.status).toBe('completed');
    expect(run.usage.aiTokensUsed).toBe(50);
    const posted = sink.requests.find((r) => r.url === '/post');
    expect(posted && JSON.parse(posted.body)).toEqual({ text: '• Shipped v2\n• Fixed login' });
    expect(sink.requests.some((r) => r.url.startsWith('/fetch?since='))).toBe(true);
  });
});

describe('runs with the real runner', () => {
  it('streams a manual run live to completion, then retries a failed one from the failed step', async () => {
    const input: WorkflowInputRaw = {
      name: 'flaky',
      triggers: [{ id: 'flaky-manual', type: 'manual' }],
      settings: { retryPolicy: { maxRetries: 0 } },
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'flaky-manual' } },
        { id: 'prep', type: 'set', position: { x: 1, y: 0 }, data: { fields: [{ name: 'at', value: '{{ $millis() }}' }] } },
        { id: 'call', type: 'http-request', position: { x: 2, y: 0 }, data: { method: 'POST', url: `${sink.url}/{{ trigger.mode }}`, bodyType: 'json', body: '{{ input }}' } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'prep' }, { id: 'e2', source: 'prep', target: 'call' }],
    };
    const wf = await h.api.createWorkflow(h.ws, input);
    const ok = await h.api.runWorkflow(h.ws, wf.id, { payload: { mode: 'ok' } });
    const events: SseMessage[] = [];
    await h.api.streamRunEvents(h.ws, ok.runId, { onEvent: (m) => events.push(m), signal: AbortSignal.timeout(15_000) });
    expect(events[0]?.event).toBe('snapshot');
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { status: 'completed' } });

    const failed = await h.api.runWorkflow(h.ws, wf.id, { payload: { mode: 'fail' } });
    const failedRun = await finished(failed.runId);
    expect(failedRun.status).toBe('failed');
    const prepBefore = failedRun.steps.find((s) => s.nodeId === 'prep');
    // the downstream recovers; the retry keeps the payload and the pinned version
    failing = false;
    const retried = await h.api.retryRun(h.ws, failed.runId, { fromFailedStep: true });
    const sinkBefore = sink.requests.length;
    const retriedRun = await finished(retried.runId);
    expect(retriedRun).toMatchObject({ retryOf: failed.runId, status: 'completed', workflowVersion: failedRun.workflowVersion });
    // prep was not executed again: its recorded output is reused as is
    expect(retriedRun.steps.find((s) => s.nodeId === 'prep')?.output).toEqual(prepBefore?.output);
    expect(sink.requests.length).toBe(sinkBefore + 1);
  });
});
