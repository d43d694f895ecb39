import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '@outrun/engine';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import type { RunQueue } from '@outrun/queue';
import { signStandardWebhook } from '../src/index';
import { createWorkflow, eventually, startListener, type RunningListener } from './fixtures';

/** Known-answer vectors (shared/test-vectors.md). */
const SW = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}', signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
const GH = { secret: "It's a Secret to Everybody", body: 'Hello, World!', signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };

/** Webhook answers as the tests read them. */
interface Answer {
  runId: string;
  statusUrl: string;
  error: { code: string; message: string };
  [key: string]: unknown;
}

let temp: TempSqliteStore;
let queue: RunQueue;
let running: RunningListener;
let nowMs = SW.timestamp * 1000;
const clock: Clock = { now: () => nowMs, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
let ws: string;
const bus = createMemoryEventBus();
const hooks: Record<string, string> = {};

async function post(path: string, body: string, headers: Record<string, string> = {}, method = 'POST') {
  const res = await fetch(`${running.url}${path}`, { method, body: method === 'GET' ? null : body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Answer) : null };
}
const hook = (name: string) => `/webhook/${ws}/${hooks[name]}`;

beforeAll(async () => {
  temp = await createTempSqliteStore();
  queue = createMemoryQueue();
  const { store } = temp;
  ws = (await store.workspaces.createWorkspace({ name: 'listener' })).id;
  const cred = async (secrets: string[]) => (await store.credentials.create(ws, { name: 'hook', type: 'webhook_secret', data: { secrets } })).id;
  const triggers = [
    { id: 'open', type: 'webhook', config: { methods: ['POST', 'PUT'], includeHeaders: ['x-request-source'] } },
    { id: 'hmac', type: 'webhook', config: { auth: { type: 'hmac', credentialId: await cred([SW.secret]) } } },
    { id: 'header', type: 'webhook', config: { auth: { type: 'header', headerName: 'X-Token', credentialId: await cred(['tok-new', 'tok-old']) } } },
    { id: 'basic', type: 'webhook', config: { auth: { type: 'basic', username: 'hook', credentialId: await cred(['pw']) } } },
    { id: 'github', type: 'webhook', config: { auth: { type: 'github', credentialId: await cred([GH.secret]) } } },
    { id: 'stripe', type: 'webhook', config: { auth: { type: 'stripe', credentialId: await cred(['whsec_stripe']) } } },
    { id: 'small', type: 'webhook', config: { maxBodyBytes: 100 } },
    { id: 'limited', type: 'webhook', config: { rateLimit: { rps: 1, burst: 2 } } },
    { id: 'sync', type: 'webhook', config: { responseMode: 'sync', syncTimeoutMs: 5000 } },
    { id: 'sync-slow', type: 'webhook', config: { responseMode: 'sync', syncTimeoutMs: 300 } },
  ] as const;
  const wf = await createWorkflow(store, ws, triggers.map((t) => ({ ...t, config: { ...t.config } })) as never);
  for (const t of triggers) hooks[t.id] = t.id;
  expect(wf.status).toBe('active');
  running = await startListener({ store, queue, events: bus, clock });
});

afterAll(async () => {
  await running?.close();
  await queue?.close();
  await temp?.cleanup();
});

describe('webhooks: routing, methods, bodies', () => {
  it('accepts an async webhook: 202 {runId, statusUrl}, a recorded run with the payload, and a job', async () => {
    const before = (await queue.counts()).waiting;
    const res = await post(`${hook('open')}?a=1&b=x`, '{"hello":"world"}', { 'x-request-source': 'crm', 'x-other': 'dropped' });
    expect(res.status).toBe(202);
    expect(res.json?.statusUrl).toBe(`/api/workspaces/${ws}/runs/${res.json?.runId}`);
    const run = await temp.store.runs.getRun(ws, res.json?.runId as string);
    expect(run?.status).toBe('queued');
    expect(run?.triggeredBy).toMatchObject({ type: 'webhook', triggerId: 'open', source: `/webhook/${ws}/open` });
    expect(run?.triggeredBy.payload).toEqual({ body: { hello: 'world' }, query: { a: '1', b: 'x' }, headers: { 'x-request-source': 'crm' }, method: 'POST' });
    expect((await queue.counts()).waiting).toBe(before + 1);
  });

  it('decodes form and text bodies', async () => {
    const form = await post(hook('open'), 'a=1&a=2', { 'content-type': 'application/x-www-form-urlencoded' }, 'PUT');
    expect((await temp.store.runs.getRun(ws, form.json?.runId as string))?.triggeredBy.payload).toMatchObject({ body: { a: ['1', '2'] }, method: 'PUT' });
    const text = await post(hook('open'), 'plain words', { 'content-type': 'text/plain' });
    expect((await temp.store.runs.getRun(ws, text.json?.runId as string))?.triggeredBy.payload).toMatchObject({ body: 'plain words' });
  });

  it('404 for unknown triggers and paths, 405 with a code for other methods', async () => {
    expect((await post(`/webhook/${ws}/nope`, '{}')).status).toBe(404);
    expect((await post(`/webhook/other-ws/open`, '{}')).json?.error.code).toBe('OUT_ERR_NOT_FOUND');
    expect((await post('/elsewhere', '{}')).status).toBe(404);
    expect((await post(`/webhook/${ws}/%zz`, '{}')).status).toBe(404);
    expect((await post(`/webhook/${ws}/open/extra`, '{}')).status).toBe(404);
    const res = await post(hook('open'), '', {}, 'GET');
    expect(res.status).toBe(405);
    expect(res.json?.error.code).toBe('OUT_ERR_METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('POST, PUT');
  });

  it('413 over the size limit, 400 on invalid or too deep JSON; nothing recorded', async () => {
    const big = await post(hook('small'), JSON.stringify({ x: 'y'.repeat(200) }));
    expect(big.status).toBe(413);
    expect(big.json?.error.code).toBe('OUT_ERR_PAYLOAD_TOO_LARGE');
    expect((await post(hook('open'), '{"a":')).json?.error.code).toBe('OUT_ERR_INVALID_JSON');
    const deep = await post(hook('open'), '['.repeat(65) + ']'.repeat(65));
    expect(deep.status).toBe(400);
    expect(deep.json?.error.code).toBe('OUT_ERR_TOO_DEEP');
    expect((await post(hook('open'), '['.repeat(64) + ']'.repeat(64))).status).toBe(202);
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toContain('listener_webhook_requests_total{outcome="accepted"');
  });

  it('serves /metrics to loopback peers only, or to the metrics token', async () => {
    const external = Object.values(networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;
    if (external === undefined) console.warn('[listener] no non-loopback IPv4 address: skipped the remote-peer /metrics check');
    else {
      const server = createServer(running.listener.handler);
      await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
      try {
        const remote = await fetch(`http://${external}:${(server.address() as AddressInfo).port}/metrics`);
        expect(remote.status).toBe(403);
        expect(await remote.text()).toContain('OUT_ERR_METRICS_FORBIDDEN');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
    const guarded = await startListener({ store: temp.store, options: { metricsToken: 'metrics-token-0123456789', followers: false } });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(403);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('webhooks: auth modes', () => {
  const swHeaders = (over: Record<string, string> = {}) => ({ 'webhook-id': SW.id, 'webhook-timestamp': String(SW.timestamp), 'webhook-signature': SW.signature, ...over });

  it('hmac: the Standard Webhooks vector is accepted; replaying it returns the original run', async () => {
    nowMs = SW.timestamp * 1000 + 10_000;
    const first = await post(hook('hmac'), SW.body, swHeaders());
    expect(first.status).toBe(202);
    const replay = await post(hook('hmac'), SW.body, swHeaders());
    expect(replay.status).toBe(200);
    expect(replay.json?.runId).toBe(first.json?.runId);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('hmac: invalid signature, changed body and expired timestamp are 401 with codes; no run', async () => {
    nowMs = SW.timestamp * 1000;
    const page = await temp.store.runs.listRuns(ws, { limit: 500 });
    const bad = await post(hook('hmac'), SW.body, swHeaders({ 'webhook-id': 'msg_2', 'webhook-signature': 'v1,AAAA' }));
    expect([bad.status, bad.json?.error.code]).toEqual([401, 'OUT_ERR_WEBHOOK_SIGNATURE']);
    expect((await post(hook('hmac'), '{"test": 1}', swHeaders())).json?.error.code).toBe('OUT_ERR_WEBHOOK_SIGNATURE');
    nowMs = SW.timestamp * 1000 + 5 * 60_000 + 1000;
    const expired = await post(hook('hmac'), SW.body, swHeaders());
    expect([expired.status, expired.json?.error.code]).toEqual([401, 'OUT_ERR_WEBHOOK_TIMESTAMP']);
    expect((await temp.store.runs.listRuns(ws, { limit: 500 })).items.length).toBe(page.items.length);
    const stats = await eventually(async () => {
      const s = await temp.store.triggers.getTriggerStats(ws, 'hmac');
      return s.authFailures >= 3 ? s : null;
    });
    expect(stats.lastError?.code).toBe('OUT_ERR_WEBHOOK_TIMESTAMP');
    expect(stats.duplicatesDropped).toBeGreaterThanOrEqual(1);
    expect(stats.runsStarted).toBeGreaterThanOrEqual(1);
  });

  it('hmac: a fresh signature with a unique id starts a new run', async () => {
    nowMs = Date.now();
    const ts = Math.floor(nowMs / 1000);
    const body = '{"fresh":true}';
    const res = await post(hook('hmac'), body, { 'webhook-id': 'msg_fresh', 'webhook-timestamp': String(ts), 'webhook-signature': signStandardWebhook(SW.secret, 'msg_fresh', ts, body) });
    expect(res.status).toBe(202);
  });

  it('header: either rotated token passes; wrong or missing → 401 OUT_ERR_WEBHOOK_AUTH', async () => {
    expect((await post(hook('header'), '{}', { 'x-token': 'tok-new' })).status).toBe(202);
    expect((await post(hook('header'), '{}', { 'x-token': 'tok-old' })).status).toBe(202);
    const wrong = await post(hook('header'), '{}', { 'x-token': 'tok-bad' });
    expect([wrong.status, wrong.json?.error.code]).toEqual([401, 'OUT_ERR_WEBHOOK_AUTH']);
    expect((await post(hook('header'), '{}')).status).toBe(401);
  });

  it('basic: right user and password only', async () => {
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await post(hook('basic'), '{}', basic('hook', 'pw'))).status).toBe(202);
    expect((await post(hook('basic'), '{}', basic('hook', 'nope'))).json?.error.code).toBe('OUT_ERR_WEBHOOK_AUTH');
    expect((await post(hook('basic'), '{}', basic('x', 'pw'))).status).toBe(401);
  });

  it('github: the docs vector passes, a changed body fails; X-GitHub-Delivery dedupes', async () => {
    const headers = { 'x-hub-signature-256': GH.signature, 'content-type': 'text/plain', 'x-github-delivery': 'd-1' };
    const first = await post(hook('github'), GH.body, headers);
    expect(first.status).toBe(202);
    const again = await post(hook('github'), GH.body, headers);
    expect(again.json?.runId).toBe(first.json?.runId);
    expect((await post(hook('github'), 'Hello, World?', headers)).json?.error.code).toBe('OUT_ERR_WEBHOOK_SIGNATURE');
  });

  it('stripe: valid, expired and invalid signatures; the event id dedupes', async () => {
    nowMs = Date.now();
    const t = Math.floor(nowMs / 1000);
    const body = JSON.stringify({ id: 'evt_123', type: 'payment_intent.succeeded' });
    const sign = (ts: number) => `t=${ts},v1=${createHmac('sha256', 'whsec_stripe').update(`${ts}.${body}`).digest('hex')}`;
    const ok = await post(hook('stripe'), body, { 'stripe-signature': sign(t) });
    expect(ok.status).toBe(202);
    expect((await post(hook('stripe'), body, { 'stripe-signature': sign(t) })).json?.runId).toBe(ok.json?.runId);
    expect((await post(hook('stripe'), body, { 'stripe-signature': sign(t - 400) })).json?.error.code).toBe('OUT_ERR_WEBHOOK_TIMESTAMP');
    expect((await post(hook('stripe'), body, { 'stripe-signature': `t=${t},v1=00ff` })).json?.error.code).toBe('OUT_ERR_WEBHOOK_SIGNATURE');
  });

  it('drops a revoked secret at once when the change is announced (not after the 10 s cache)', async () => {
    const wf = (await temp.store.workflows.listActiveWorkflows()).find((w) => w.workspaceId === ws);
    const trigger = wf?.triggers.find((t) => t.id === 'basic');
    const credentialId = trigger?.type === 'webhook' && trigger.config.auth.type === 'basic' ? trigger.config.auth.credentialId : undefined;
    const basic = (p: string) => ({ authorization: `Basic ${Buffer.from(`hook:${p}`).toString('base64')}` });
    expect((await post(hook('basic'), '{}', basic('pw'))).status).toBe(202); // cached now
    await temp.store.credentials.updateSecret(ws, credentialId as string, { secrets: ['pw-after-leak'] });
    await bus.publish('credentials', { workspaceId: ws, credentialId });
    expect((await post(hook('basic'), '{}', basic('pw'))).status).toBe(401);
    expect((await post(hook('basic'), '{}', basic('pw-after-leak'))).status).toBe(202);
  });

  it('picks up a rotated secret without a restart', async () => {
    const wf = (await temp.store.workflows.listActiveWorkflows()).find((w) => w.workspaceId === ws);
    const trigger = wf?.triggers.find((t) => t.id === 'header');
    const credentialId = trigger?.type === 'webhook' && trigger.config.auth.type === 'header' ? trigger.config.auth.credentialId : undefined;
    await temp.store.credentials.updateSecret(ws, credentialId as string, { secrets: ['tok-rotated', 'tok-new'] });
    await eventually(async () => (await post(hook('header'), '{}', { 'x-token': 'tok-rotated' })).status === 202, 3000, 'rotated token accepted');
  });
});

describe('webhooks: idempotency, rate limits, sync mode, following the store', () => {
  it('a repeated Idempotency-Key returns the original runId and starts nothing', async () => {
    const first = await post(hook('open'), '{"n":1}', { 'idempotency-key': 'order-42' });
    const second = await post(hook('open'), '{"n":2}', { 'idempotency-key': 'order-42' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.json?.runId).toBe(first.json?.runId);
    const runs = await temp.store.runs.listRuns(ws, { limit: 500 });
    expect(runs.items.filter((r) => r.id === first.json?.runId)).toHaveLength(1);
  });

  it('github: an unsigned Idempotency-Key/webhook-id/X-GitHub-Delivery neither replays a captured delivery nor pre-claims one', async () => {
    const body = '{"action":"opened","number":7}';
    const signature = `sha256=${createHmac('sha256', GH.secret).update(body).digest('hex')}`;
    const headers = { 'x-hub-signature-256': signature, 'content-type': 'application/json' };
    const first = await post(hook('github'), body, { ...headers, 'x-github-delivery': 'gh-1' });
    expect(first.status).toBe(202);
    // Replaying the captured delivery under fresh ids starts nothing new.
    for (const fresh of [{ 'x-github-delivery': 'gh-2' }, { 'idempotency-key': 'k-2' }, { 'webhook-id': 'w-2' }]) {
      const replay = await post(hook('github'), body, { ...headers, ...fresh });
      expect([replay.status, replay.json?.runId]).toEqual([200, first.json?.runId]);
    }
    // A chosen key sent ahead does not drop the real (different) delivery later.
    const next = '{"action":"closed","number":7}';
    const poisoned = await post(hook('github'), '{"x":1}', { ...headers, 'idempotency-key': 'gh-3' });
    expect(poisoned.status).toBe(401);
    const real = await post(hook('github'), next, { 'x-hub-signature-256': `sha256=${createHmac('sha256', GH.secret).update(next).digest('hex')}`, 'content-type': 'application/json', 'x-github-delivery': 'gh-3' });
    expect(real.status).toBe(202);
  });

  it('stripe: the signed event id wins over an unsigned Idempotency-Key', async () => {
    nowMs = Date.now();
    const t = Math.floor(nowMs / 1000);
    const body = JSON.stringify({ id: 'evt_replay', type: 'charge.succeeded' });
    const signature = `t=${t},v1=${createHmac('sha256', 'whsec_stripe').update(`${t}.${body}`).digest('hex')}`;
    const first = await post(hook('stripe'), body, { 'stripe-signature': signature, 'idempotency-key': 'one' });
    const replay = await post(hook('stripe'), body, { 'stripe-signature': signature, 'idempotency-key': 'two' });
    expect(first.status).toBe(202);
    expect([replay.status, replay.json?.runId]).toEqual([200, first.json?.runId]);
  });

  it('keys are unambiguous: an unauthenticated post to trigger "pub" cannot drop a signed delivery to "pub:sig"', async () => {
    nowMs = SW.timestamp * 1000;
    const secret = (await temp.store.credentials.create(ws, { name: 'sig', type: 'webhook_secret', data: { secrets: [SW.secret] } })).id;
    await createWorkflow(temp.store, ws, [
      { id: 'pub', type: 'webhook', config: {} },
      { id: 'pub:sig', type: 'webhook', config: { auth: { type: 'hmac', credentialId: secret } } },
    ] as never);
    await eventually(async () => (await post(`/webhook/${ws}/pub`, '{}', { 'idempotency-key': 'probe' })).status !== 404, 2000, 'pub active');
    // Old scheme: `wh:pub:` + `sig:msg_…` === `wh:pub:sig:` + `msg_…`.
    const squat = await post(`/webhook/${ws}/pub`, '{}', { 'idempotency-key': `sig:${SW.id}` });
    expect(squat.status).toBe(202);
    const signed = await post(`/webhook/${ws}/${encodeURIComponent('pub:sig')}`, SW.body, { 'webhook-id': SW.id, 'webhook-timestamp': String(SW.timestamp), 'webhook-signature': SW.signature });
    expect(signed.status).toBe(202);
    expect(signed.json?.runId).not.toBe(squat.json?.runId);
  });

  it('rate limits per trigger: 429 with Retry-After, counted', async () => {
    nowMs = Date.now();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(hook('limited'), '{}')).status);
    expect(statuses).toEqual([202, 202, 429, 429]);
    const limited = await post(hook('limited'), '{}');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.json?.error.code).toBe('OUT_ERR_RATE_LIMITED');
    nowMs += 1000;
    expect((await post(hook('limited'), '{}')).status).toBe(202);
    await eventually(async () => (await temp.store.triggers.getTriggerStats(ws, 'limited')).rateLimited === 3);
  });

  it('sync mode answers with the run response; times out to 202', async () => {
    // A minimal runner: finishes each run with a response and announces it on the run channel.
    const consumer = await queue.consume(async ({ job }) => {
      const run = await temp.store.runs.getRun(job.workspaceId, job.runId);
      if (run?.triggeredBy.triggerId === 'sync') {
        const at = new Date().toISOString();
        await temp.store.runs.markRunning(job.workspaceId, job.runId, { attempt: 1, at });
        const body = run.triggeredBy.payload as { body: { name: string } };
        await temp.store.runs.finishRun(job.workspaceId, job.runId, { status: 'completed', at, response: { status: 201, headers: { 'x-made-by': 'respond' }, body: { greeting: `hi ${body.body.name}` } } });
      }
      return { type: 'done' };
    });
    try {
      const res = await post(hook('sync'), '{"name":"ada"}');
      expect(res.status).toBe(201);
      expect(res.headers.get('x-made-by')).toBe('respond');
      expect(res.json).toEqual({ greeting: 'hi ada' });
      const slow = await post(hook('sync-slow'), '{}');
      expect(slow.status).toBe(202);
      expect(slow.json?.runId).toEqual(expect.any(String));
    } finally {
      await consumer.close();
    }
  });

  it('pausing, activating and editing take effect within a second, without a restart', async () => {
    const wf = await createWorkflow(temp.store, ws, [{ id: 'late', type: 'webhook', config: {} }], { status: 'draft' });
    expect((await post(`/webhook/${ws}/late`, '{}')).status).toBe(404);
    await temp.store.workflows.setWorkflowStatus(ws, wf.id, 'active');
    await eventually(async () => (await post(`/webhook/${ws}/late`, '{}')).status === 202, 1000, 'activation');
    await temp.store.workflows.setWorkflowStatus(ws, wf.id, 'paused');
    await eventually(async () => (await post(`/webhook/${ws}/late`, '{}')).status === 404, 1000, 'pause');
  });
});
