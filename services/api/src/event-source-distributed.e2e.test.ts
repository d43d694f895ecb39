/**
 * Event sources in distributed mode: the api, listener and runner as real child processes on MongoDB (the in-repo
 * wire-protocol server) and BullMQ (the shared Redis, a private key prefix). A Redis stream feeds N entries — the
 * listener is killed (SIGKILL) in the middle and a new one started — and each entry becomes exactly one run,
 * executed once by the runner process (its HTTP step reaches the sink once per entry).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createWorkflowApi, type WorkflowApi } from '@outrun/client';
import type { RunSummary, WorkflowInputRaw } from '@outrun/schemas';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { startTestMongo, uniqueDbName, withDatabase, type TestMongo } from '@outrun/testing/mongo';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ADMIN_TOKEN = `admin-${randomBytes(12).toString('hex')}`;
const streamPrefix = `r2conn:${randomBytes(4).toString('hex')}:`;

let mongo: TestMongo;
let sink: HttpSink;
let queuePrefix: string;
let common: Record<string, string>;
let listenerPort: number;
const services: ServiceProcess[] = [];
let api: WorkflowApi;
let ws: string;
const redis = new Redis({ host: '127.0.0.1', port: 6379 });

beforeAll(async () => {
  mongo = await startTestMongo();
  sink = await startHttpSink({ respond: () => ({ status: 200, body: { ok: true } }) });
  queuePrefix = uniquePrefix('r2connsrc');
  const [apiPort, runnerPort] = await Promise.all([freePort(), freePort()]);
  listenerPort = await freePort();
  common = {
    MONGO_URI: withDatabase(mongo.uri, uniqueDbName('outrun_srcdist')),
    REDIS_URL: SHARED_REDIS_URL,
    OUTRUN_QUEUE_PREFIX: queuePrefix,
    OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    // The sink and the Redis of the event source are local services: allowed explicitly.
    OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  services.push(
    ...(await Promise.all([
      spawnService('listener', common, { port: listenerPort }),
      spawnService('runner', common, { port: runnerPort }),
      spawnService('api', { ...common, API_HOST: '127.0.0.1', OUTRUN_ADMIN_TOKEN: ADMIN_TOKEN, LISTENER_SERVICE_URL: `http://127.0.0.1:${listenerPort}`, WORKFLOW_SERVICE_URL: `http://127.0.0.1:${runnerPort}` }, { port: apiPort }),
    ])),
  );
  const created = await createWorkflowApi({ baseUrl: `http://127.0.0.1:${apiPort}` }).createWorkspace('distributed-sources', ADMIN_TOKEN);
  ws = created.workspace.id;
  api = createWorkflowApi({ baseUrl: `http://127.0.0.1:${apiPort}`, apiKey: created.apiKey });
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await sink?.close();
  await mongo?.close();
  if (queuePrefix) await cleanupPrefix(SHARED_REDIS_URL, queuePrefix);
  await cleanupPrefix(SHARED_REDIS_URL, streamPrefix);
  redis.disconnect();
});

async function allRuns(workflowId: string): Promise<RunSummary[]> {
  const items: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listRuns(ws, { workflowId, limit: 100, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

const dump = () => services.map((s) => `--- ${s.name}\n${s.output().slice(-4000)}`).join('\n');

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${dump()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('event sources in distributed mode (MongoDB + BullMQ, service processes)', () => {
  it('N stream entries → N runs recorded and executed, none twice, across a listener SIGKILL mid-stream', async () => {
    const total = 40;
    await redis.xgroup('CREATE', `${streamPrefix}orders`, 'outrun', '$', 'MKSTREAM');
    const cred = await api.createCredential(ws, { name: 'redis', type: 'generic', data: { host: '127.0.0.1', port: 6379, keyPrefix: streamPrefix } });
    const input = {
      name: 'orders',
      triggers: [{ id: 'orders', type: 'event_source', config: { source: 'redis.streamEntries@1', credentialId: cred.id, params: { stream: 'orders', blockMs: 200 }, capacity: 4 } }],
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'orders' } },
        { id: 'call', type: 'http-request', position: { x: 200, y: 0 }, data: { method: 'POST', url: `${sink.url}/order`, bodyType: 'json', body: { n: '{{ trigger.fields.n }}' } } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'call' }],
      settings: { concurrency: 4 },
    } as WorkflowInputRaw;
    const wf = await api.createWorkflow(ws, input);
    await api.activateWorkflow(ws, wf.id);
    // The listener picks the activation up on its next reload; the group starts at `$`, so wait until it reads.
    const probe = async () => (await redis.xinfo('CONSUMERS', `${streamPrefix}orders`, 'outrun') as unknown[]).length > 0;
    await until('the listener process to open the source', 20_000, probe);

    for (let n = 1; n <= total / 2; n++) await redis.xadd(`${streamPrefix}orders`, '*', 'n', String(n));
    await until('a few runs', 20_000, async () => (await allRuns(wf.id)).length >= 5);
    const killed = services.find((s) => s.name === 'listener')!;
    killed.kill('SIGKILL');
    await killed.exited;
    services.splice(services.indexOf(killed), 1);
    for (let n = total / 2 + 1; n <= total; n++) await redis.xadd(`${streamPrefix}orders`, '*', 'n', String(n));
    services.push(await spawnService('listener', common, { port: listenerPort }));

    const runs = await until(`${total} finished runs`, 60_000, async () => {
      const r = await allRuns(wf.id);
      return r.length >= total && r.every((x) => x.status === 'completed') ? r : null;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const settled = await allRuns(wf.id);
    expect(settled.length, `runs (id, key, n): ${JSON.stringify(settled.map((r) => [r.id, r.idempotencyKey, (r.triggeredBy.payload as { fields?: { n: string } }).fields?.n]))}`).toBe(total);
    const ns = runs.map((r) => Number((r.triggeredBy.payload as { fields: { n: string } }).fields.n)).sort((a, b) => a - b);
    expect(ns).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // Executed once each: one HTTP call per entry from the runner process.
    const calls = sink.requests.filter((r) => r.url === '/order').map((r) => Number((JSON.parse(r.body) as { n: string }).n)).sort((a, b) => a - b);
    expect(calls).toEqual(ns);
    expect(((await redis.xpending(`${streamPrefix}orders`, 'outrun')) as [number])[0]).toBe(0);
  }, 150_000);
});
