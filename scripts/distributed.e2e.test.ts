/**
 * The docker-compose topology without Docker: api, listener and runner as separate processes (each service's
 * `main.ts`, spawned by `spawnService` like the other multi-process tests) sharing the real Redis (BullMQ, unique
 * prefix) and one SQLite file. A signed webhook through the gateway runs a workflow that calls a local HTTP sink.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowApi } from '@outrun/client';
import { signStandardWebhook } from '@outrun/listener';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';

describe('distributed topology: three processes, real Redis, one shared SQLite file', () => {
  const prefix = uniquePrefix('dist');
  const adminToken = randomBytes(24).toString('hex');
  let services: ServiceProcess[] = [];
  let dataDir: string;
  let sink: HttpSink;
  let ports: { api: number; listener: number; runner: number };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'outrun-dist-'));
    sink = await startHttpSink();
    ports = { api: await freePort(), listener: await freePort(), runner: await freePort() };
    const env = {
      REDIS_URL: SHARED_REDIS_URL,
      OUTRUN_QUEUE_PREFIX: prefix,
      OUTRUN_DATA_DIR: dataDir,
      OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      OUTRUN_ADMIN_TOKEN: adminToken,
      OUTRUN_HTTP_ALLOW_LIST: `127.0.0.1:${sink.port}`,
      LISTENER_SERVICE_URL: `http://127.0.0.1:${ports.listener}`,
      WORKFLOW_SERVICE_URL: `http://127.0.0.1:${ports.runner}`,
    };
    // Three tsx start-ups at once on a shared two-core machine: more than spawnService's default 30 s to be ready.
    const started = await Promise.allSettled((['api', 'listener', 'runner'] as const).map((name) => spawnService(name, env, { port: ports[name], readyTimeoutMs: 60_000 })));
    services = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await sink?.close();
    await cleanupPrefix(SHARED_REDIS_URL, prefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a signed-webhook workflow through api → listener → queue → runner', async () => {
    const base = `http://127.0.0.1:${ports.api}`;
    const admin = createWorkflowApi({ baseUrl: base });
    const { workspace, apiKey } = await admin.createWorkspace('Distributed', adminToken);
    const api = createWorkflowApi({ baseUrl: base, apiKey });

    const workflow = await api.createWorkflow(workspace.id, {
      name: 'Notify',
      triggers: [{ id: `hook-${randomUUID()}`, type: 'webhook', config: { auth: { type: 'hmac' } } }],
      nodes: [],
      edges: [],
    });
    const triggerId = workflow.triggers[0]!.id;
    await api.updateWorkflow(workspace.id, workflow.id, {
      name: 'Notify',
      triggers: workflow.triggers,
      nodes: [
        { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
        { id: 'score', type: 'set', position: { x: 200, y: 0 }, data: { fields: [{ name: 'score', value: '{{ input.body.value * 2 }}' }] } },
        { id: 'post', type: 'http-request', position: { x: 400, y: 0 }, data: { method: 'POST', url: `${sink.url}/hook`, bodyType: 'json', body: { score: '{{ input.score }}' } } },
      ],
      edges: [
        { id: 'e1', source: 't', target: 'score' },
        { id: 'e2', source: 'score', target: 'post' },
      ],
    });
    const { secret } = await api.rotateTriggerSecret(workspace.id, workflow.id, triggerId);
    await api.activateWorkflow(workspace.id, workflow.id);

    const body = JSON.stringify({ value: 21 });
    const id = `msg_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const send = () =>
      fetch(`${base}/webhook/${workspace.id}/${triggerId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook(secret, id, timestamp, body) },
        body,
      });
    // The listener follows the store within a second of activation.
    let answer = await send();
    for (let i = 0; answer.status === 404 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await send();
    }
    expect(answer.status).toBe(202);
    const { runId } = (await answer.json()) as { runId: string };

    const deadline = Date.now() + 30_000;
    let run = await api.getRun(workspace.id, runId);
    while (run.status !== 'completed' && run.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = await api.getRun(workspace.id, runId);
    }
    expect(run.status, JSON.stringify(run.error)).toBe('completed');
    expect(run.steps.map((s) => s.nodeId).sort()).toEqual(['post', 'score', 't']);
    expect(sink.requests).toHaveLength(1);
    expect(JSON.parse(sink.requests[0]!.body)).toEqual({ score: 42 });
    expect(sink.requests[0]!.headers['idempotency-key']).toBe(`${runId}:post:1`);

    // A replay of the same webhook-id starts nothing and returns the original run (200: nothing new accepted).
    const replay = await send();
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { runId: string }).runId).toBe(runId);
    expect((await api.listRuns(workspace.id)).items).toHaveLength(1);
  });

  it('runs a schedule staged ahead of its occurrence at (never before) the due second, through the runner process', async () => {
    const base = `http://127.0.0.1:${ports.api}`;
    const { workspace, apiKey } = await createWorkflowApi({ baseUrl: base }).createWorkspace('Scheduled', adminToken);
    const api = createWorkflowApi({ baseUrl: base, apiKey });
    const workflow = await api.createWorkflow(workspace.id, {
      name: 'Every second',
      triggers: [{ id: 'tick', type: 'schedule', config: { cron: '* * * * * *', timezone: 'UTC', catchUp: 'none' } }],
      nodes: [{ id: 'at', type: 'set', position: { x: 0, y: 0 }, data: { fields: [{ name: 'scheduledAt', value: '{{ input.scheduledAt }}' }] } }],
      edges: [],
    });
    await api.activateWorkflow(workspace.id, workflow.id);
    const deadline = Date.now() + 30_000;
    let done: Awaited<ReturnType<typeof api.listRuns>>['items'] = [];
    while (done.length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      done = (await api.listRuns(workspace.id, { status: 'completed' })).items;
    }
    await api.pauseWorkflow(workspace.id, workflow.id);
    expect(done.length).toBeGreaterThanOrEqual(3);
    for (const run of done) {
      const scheduledAt = Date.parse((run.triggeredBy.payload as { scheduledAt: string }).scheduledAt);
      expect(Date.parse(run.startedAt!)).toBeGreaterThanOrEqual(scheduledAt); // staged ahead, started only once due
      expect(Date.parse(run.queuedAt)).toBeLessThan(scheduledAt); // recorded before the due instant
      expect(run.resumeAt).toBeUndefined();
    }
  });
});
