/**
 * Distributed mode end to end: the api, listener and runner as real child processes on BullMQ (the shared Redis,
 * a private key prefix) and MongoDB — the wire-protocol test server on an ephemeral port of 127.0.0.1, or the
 * real replica set of MONGO_URI. A webhook through the gateway and a data change each run a workflow to completion.
 */
import { randomBytes } from 'node:crypto';
import { createWorkflowApi, type WorkflowApi } from '@outrun/client';
import type { Run, WorkflowInputRaw } from '@outrun/schemas';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { startTestMongo, uniqueDbName, withDatabase, type TestMongo } from '@outrun/testing/mongo';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ADMIN_TOKEN = `admin-${randomBytes(12).toString('hex')}`;

let mongo: TestMongo;
let sink: HttpSink;
let prefix: string;
const services: ServiceProcess[] = [];
let gateway: string;
let api: WorkflowApi;
let ws: string;

beforeAll(async () => {
  mongo = await startTestMongo();
  sink = await startHttpSink({ respond: () => ({ status: 200, body: { ok: true } }) });
  prefix = uniquePrefix('e2emongo');
  const [apiPort, listenerPort, runnerPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const common = {
    MONGO_URI: withDatabase(mongo.uri, uniqueDbName('outrun_e2e')),
    REDIS_URL: SHARED_REDIS_URL,
    OUTRUN_QUEUE_PREFIX: prefix,
    OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const listenerUrl = `http://127.0.0.1:${listenerPort}`;
  const runnerUrl = `http://127.0.0.1:${runnerPort}`;
  gateway = `http://127.0.0.1:${apiPort}`;
  services.push(
    ...(await Promise.all([
      spawnService('listener', common, { port: listenerPort }),
      spawnService('runner', common, { port: runnerPort }),
      spawnService('api', { ...common, API_HOST: '127.0.0.1', OUTRUN_ADMIN_TOKEN: ADMIN_TOKEN, LISTENER_SERVICE_URL: listenerUrl, WORKFLOW_SERVICE_URL: runnerUrl }, { port: apiPort }),
    ])),
  );
  const created = await createWorkflowApi({ baseUrl: gateway }).createWorkspace('distributed', ADMIN_TOKEN);
  ws = created.workspace.id;
  api = createWorkflowApi({ baseUrl: gateway, apiKey: created.apiKey });
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await sink?.close();
  await mongo?.close();
  if (prefix) await cleanupPrefix(SHARED_REDIS_URL, prefix);
});

/** trigger → http-request to the sink. */
function workflow(name: string, trigger: { id: string; type: string; config: object }): WorkflowInputRaw {
  return {
    name,
    triggers: [trigger],
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: trigger.id } },
      { id: 'call', type: 'http-request', position: { x: 200, y: 0 }, data: { method: 'POST', url: `${sink.url}/${name}`, body: '{{ $json }}' } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'call' }],
  } as WorkflowInputRaw;
}

async function finishedRuns(workflowId: string, count: number, timeoutMs = 30_000): Promise<Run[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await api.listRuns(ws, { workflowId, limit: 50 });
    const done = page.items.filter((r) => ['completed', 'failed', 'cancelled'].includes(r.status));
    if (done.length >= count) return Promise.all(done.map((r) => api.getRun(ws, r.id)));
    if (Date.now() > deadline) throw new Error(`runs of ${workflowId} not finished: ${JSON.stringify(page.items.map((r) => r.status))}\n${services.map((s) => `--- ${s.name}\n${s.output()}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('distributed mode on MongoDB and BullMQ (api, listener, runner processes)', () => {
  it('a webhook through the gateway runs the workflow on the runner process', async () => {
    const wf = await api.createWorkflow(ws, workflow('hook', { id: 'hook', type: 'webhook', config: {} }));
    await api.activateWorkflow(ws, wf.id);
    const deadline = Date.now() + 15_000;
    let accepted: Response;
    // The listener picks the activation up on its next poll of the change counter.
    do {
      accepted = await fetch(`${gateway}/webhook/${ws}/hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lead: 'Ada' }) });
      if (accepted.status === 404) await new Promise((r) => setTimeout(r, 100));
    } while (accepted.status === 404 && Date.now() < deadline);
    expect(accepted.status).toBe(202);
    const [run] = await finishedRuns(wf.id, 1);
    expect(run?.status).toBe('completed');
    expect(run?.steps.map((s) => `${s.nodeId}:${s.status}`).sort()).toEqual(['call:completed', 'start:completed']);
    expect(sink.requests.some((r) => r.url === '/hook')).toBe(true);
    expect((await api.getWorkflowStats(ws, wf.id)).stats).toMatchObject({ totalRuns: 1, successfulRuns: 1 });
  });

  it('a data change written through the api starts a run (change stream in the listener process)', async () => {
    const wf = await api.createWorkflow(ws, workflow('leads', { id: 'leads', type: 'data_change', config: { collection: 'leads', operations: ['insert'], filter: { tier: 'hot' } } }));
    await api.activateWorkflow(ws, wf.id);
    // Until the listener has loaded the trigger, changes are not matched: write until one run appears.
    const deadline = Date.now() + 15_000;
    while ((await api.listRuns(ws, { workflowId: wf.id })).items.length === 0 && Date.now() < deadline) {
      await api.insertDocument(ws, 'leads', { tier: 'hot', name: 'Ada' });
      await api.insertDocument(ws, 'leads', { tier: 'cold', name: 'Bob' });
      await new Promise((r) => setTimeout(r, 300));
    }
    const [run] = await finishedRuns(wf.id, 1);
    expect(run?.status).toBe('completed');
    expect(run?.triggeredBy).toMatchObject({ type: 'data_change', payload: { operation: 'insert', document: { tier: 'hot' } } });
  });

  it('data filters through the gateway are literal equality; a $ key is a 400 naming it', async () => {
    await api.insertDocument(ws, 'scores', { n: 5 });
    await api.insertDocument(ws, 'scores', { n: { $gt: 2 } });
    const literal = await api.listDocuments(ws, 'scores', { filter: { n: { $gt: 2 } } });
    expect(literal.items.map((d) => d.data)).toEqual([{ n: { $gt: 2 } }]);
    expect((await api.listDocuments(ws, 'scores', { filter: { n: 5 } })).items).toHaveLength(1);
    await expect(api.listDocuments(ws, 'scores', { filter: { $where: 'true' } })).rejects.toMatchObject({ status: 400, code: 'OUT_ERR_VALIDATION', details: [{ path: 'filter.$where' }] });
  });
});
