/**
 * One run, one trace, across processes: api, listener and runner as separate processes (as in
 * distributed.e2e.test.ts) on real Redis (BullMQ, private prefix) export spans over OTLP/HTTP to a real receiver
 * started here. The seed's lead-classification workflow runs on gpt-5.4-mini against the local OpenAI-compatible
 * server; the caller's `traceparent` is continued, the trace crosses the queue inside the job, and the outbound
 * HTTP call carries `traceparent` to the sink.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowApi } from '@outrun/client';
import { signStandardWebhook } from '@outrun/listener';
import { CATALOGUE_VERSION } from '@outrun/nodes';
import { leadClassification } from '@outrun/templates';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@outrun/testing/otlp-receiver';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';
const SERVICES = ['api', 'listener', 'runner'] as const;
const SERVER = 2, CLIENT = 3, PRODUCER = 4, CONSUMER = 5;

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('tracing across processes (OTLP/HTTP to a real receiver)', () => {
  const prefix = uniquePrefix('otel');
  const adminToken = randomBytes(24).toString('hex');
  const children: ServiceProcess[] = [];
  let dataDir: string;
  let sink: HttpSink;
  let openai: OpenAiServer;
  let receiver: OtlpReceiver;
  let ports: Record<(typeof SERVICES)[number], number>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outrun-otel-'));
    [sink, openai, receiver] = await Promise.all([startHttpSink(), startOpenAiServer(), startOtlpReceiver()]);
    ports = { api: await freePort(), listener: await freePort(), runner: await freePort() };
    const env = {
      REDIS_URL: SHARED_REDIS_URL,
      MONGO_URI: '',
      OUTRUN_QUEUE_PREFIX: prefix,
      OUTRUN_DATA_DIR: dataDir,
      OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      OUTRUN_ADMIN_TOKEN: adminToken,
      OUTRUN_HTTP_ALLOW_LIST: `127.0.0.1:${sink.port}`,
      OPENAI_API_KEY: 'sk-otel',
      OPENAI_BASE_URL: openai.url,
      LISTENER_SERVICE_URL: `http://127.0.0.1:${ports.listener}`,
      WORKFLOW_SERVICE_URL: `http://127.0.0.1:${ports.runner}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: '',
    };
    children.push(...(await Promise.all(SERVICES.map((name) => spawnService(name, env, { port: ports[name] })))));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await Promise.all([sink?.close(), openai?.close(), receiver?.close()]);
    await cleanupPrefix(SHARED_REDIS_URL, prefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the lead-classification run is one trace: caller → webhook → queued → attempt → steps → model and HTTP calls', async () => {
    const base = `http://127.0.0.1:${ports.api}`;
    const { workspace, apiKey } = await createWorkflowApi({ baseUrl: base }).createWorkspace('Traced', adminToken);
    const api = createWorkflowApi({ baseUrl: base, apiKey });
    const template = leadClassification.workflow;
    const nodes = template.nodes.map((n) => (n.id === 'notify-sales' ? { ...n, data: { ...n.data, url: `${sink.url}/sales` } } : n));
    const workflow = await api.createWorkflow(workspace.id, { ...template, nodes });
    const triggerId = workflow.triggers[0]!.id;
    const { secret } = await api.rotateTriggerSecret(workspace.id, workflow.id, triggerId);
    await api.activateWorkflow(workspace.id, workflow.id);
    openai.script([reply.json({ classification: 'hot_lead', confidence: 0.92 }, { inputTokens: 120, outputTokens: 30, cachedTokens: 100 })]);

    // The caller's own span: the run's trace must continue it.
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const body = JSON.stringify({ name: 'John Doe', company: 'Acme Corp' });
    const id = `msg_${randomBytes(8).toString('hex')}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const send = () => fetch(`${base}/webhook/${workspace.id}/${triggerId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', traceparent: `00-${callerTrace}-${callerSpan}-01`,
        'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook(secret, id, timestamp, body),
      },
      body,
    });
    const answer = await waitFor('the trigger to be active', async () => {
      const res = await send();
      return res.status === 404 ? undefined : res;
    });
    expect(answer.status).toBe(202);
    const { runId } = (await answer.json()) as { runId: string };
    const run = await waitFor('the run to finish', async () => {
      const r = await api.getRun(workspace.id, runId);
      return r.status === 'completed' || r.status === 'failed' ? r : undefined;
    });
    expect(run.status, JSON.stringify(run.error)).toBe('completed');

    // Exact cost with the price source, through the API.
    const classify = run.steps.find((s) => s.nodeId === 'classify');
    expect(classify?.usage).toMatchObject({ model: 'gpt-5.4-mini', cost: 0.0001575, priceSource: '@pydantic/genai-prices', priceVersion: CATALOGUE_VERSION });
    expect(run.usage.estimatedCost).toBe(0.0001575);
    // The run stores its trace (the caller's, continued through the webhook): the run view links to it.
    expect(run.traceId).toBe(callerTrace);

    const traceSpans = () => receiver.spans.filter((s) => s.traceId === callerTrace);
    const spans = await waitFor('every span of the run', () => {
      const got = traceSpans();
      const complete = got.some((s) => s.kind === CONSUMER) && got.some((s) => s.name === 'POST' && s.kind === CLIENT) && got.filter((s) => s.name.startsWith('step ')).length >= 5;
      return complete ? got : undefined;
    });
    const one = (what: string, pick: (s: ReceivedSpan) => boolean) => {
      const found = spans.filter(pick);
      expect(found, `${what} in ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`).toHaveLength(1);
      return found[0]!;
    };
    // (Requests sent before the listener loaded the trigger answered 404 in spans of their own.)
    const webhook = one('accepting webhook server span', (s) => s.kind === SERVER && s.attributes['http.response.status_code'] === 202);
    expect(webhook).toMatchObject({ service: 'outrun-listener', parentSpanId: callerSpan, name: 'POST /webhook/:workspaceId/:triggerId' });
    expect(webhook.attributes).toMatchObject({ 'http.response.status_code': 202, 'outrun.trigger.id': triggerId });
    const queued = one('queued producer span', (s) => s.kind === PRODUCER);
    expect(queued).toMatchObject({ service: 'outrun-listener', parentSpanId: webhook.spanId, name: 'run.queued' });
    expect(queued.attributes).toMatchObject({ 'outrun.run.id': runId, 'outrun.trigger.type': 'webhook' });
    const attempt = one('attempt consumer span', (s) => s.kind === CONSUMER);
    expect(attempt).toMatchObject({ service: 'outrun-runner', parentSpanId: queued.spanId, name: 'run.attempt' });
    expect(attempt.attributes).toMatchObject({ 'outrun.run.id': runId, 'outrun.run.status': 'completed', 'outrun.workflow.id': workflow.id });

    const step = (nodeId: string) => one(`step ${nodeId}`, (s) => s.attributes['outrun.node.id'] === nodeId && s.name.startsWith('step '));
    const stepStatus = Object.fromEntries(['receive-lead', 'classify', 'is-hot', 'notify-sales', 'ignore'].map((n) => {
      const span = step(n);
      expect(span.parentSpanId, n).toBe(attempt.spanId);
      return [n, [span.name, span.attributes['outrun.step.status']]];
    }));
    expect(stepStatus).toEqual({
      'receive-lead': ['step trigger', 'completed'], classify: ['step ai-agent', 'completed'], 'is-hot': ['step condition', 'completed'],
      'notify-sales': ['step http-request', 'completed'], ignore: ['step noop', 'skipped'],
    });
    expect(step('classify').attributes).toMatchObject({ 'outrun.step.attempt': 1, 'outrun.cost.usd': 0.0001575, 'outrun.cost.price_source': '@pydantic/genai-prices' });

    // The model call: GenAI semantic conventions, cost, and no prompt text (not opted in).
    const model = one('model span', (s) => s.name === 'chat gpt-5.4-mini');
    expect(model).toMatchObject({ kind: CLIENT, parentSpanId: step('classify').spanId, service: 'outrun-runner' });
    expect(model.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-5.4-mini', 'gen_ai.usage.input_tokens': 120, 'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.cache_read.input_tokens': 100, 'outrun.cost.usd': 0.0001575, 'outrun.cost.price_version': CATALOGUE_VERSION, 'server.address': '127.0.0.1',
    });
    expect(JSON.stringify(model.attributes)).not.toContain('Acme');

    // The outbound HTTP call: a client span under its step, and the sink got its traceparent.
    const post = one('http client span', (s) => s.name === 'POST' && s.kind === CLIENT);
    expect(post.parentSpanId).toBe(step('notify-sales').spanId);
    expect(post.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200, 'url.full': `${sink.url}/sales` });
    expect(sink.requests).toHaveLength(1);
    expect(sink.requests[0]!.headers['traceparent']).toBe(`00-${callerTrace}-${post.spanId}-01`);
    expect(receiver.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
  }, 90_000);
});
