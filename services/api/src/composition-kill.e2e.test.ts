/**
 * Durable waits across `kill -9` of every process, in both modes: embedded (`scripts/start.ts`, one process,
 * SQLite + in-process queue) and distributed (api, listener and runner processes on BullMQ and MongoDB — the
 * in-repo wire-protocol server). A parent run waits for its child, the child waits for an approval; every process
 * is killed, restarted; the approval is decided through the API; the child then waits for an event: every process
 * killed and restarted again, the event posted: the child resumes once from each waiting step, and only then the
 * parent, once, from its `workflow` step.
 * Error handlers in both modes: the runner is killed (`kill -9`) while the failing step is in flight (the failure
 * not yet written) and again while the error workflow's first step is in flight (the failure written, the handler
 * started): the failed run starts its error workflow exactly once, and that handler run finishes once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkflowApi, type WorkflowApi } from '@outrun/client';
import type { Run, WorkflowInputRaw } from '@outrun/schemas';
import { startTestMongo, uniqueDbName, withDatabase, type TestMongo } from '@outrun/testing/mongo';
import { cleanupPrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { spawnService, type ServiceProcess } from '@outrun/testing/service-process';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ADMIN_TOKEN = `admin-${randomBytes(12).toString('hex')}`;

interface Deployment {
  /** Starts (or restarts) every process; resolves with a client once the gateway is ready. */
  start(): Promise<{ api: WorkflowApi; ws: string; fetch: (path: string, init?: RequestInit) => Promise<Response> }>;
  /** `kill -9` of every process; resolves once all exited. */
  killAll(): Promise<void>;
  /** `kill -9` of the runner (embedded: the one process), then starts it again. */
  restartRunner(): Promise<void>;
  close(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited during start-up:\n${output()}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`not ready:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `scripts/start.ts` without the web app: the whole embedded stack in one process. */
async function embedded(): Promise<Deployment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'outrun-compose-kill-'));
  const ports = { api: await freePort(), runner: await freePort(), listener: await freePort() };
  let child: ChildProcess | undefined;
  const deployment: Deployment = {
    async start() {
      const env = {
        PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', OUTRUN_DATA_DIR: dataDir, OUTRUN_WEB_MODE: 'off',
        API_PORT: String(ports.api), RUNNER_PORT: String(ports.runner), LISTENER_PORT: String(ports.listener), OUTRUN_BIND_HOST: '127.0.0.1',
        OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1',
      };
      const c = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let out = '';
      c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      const base = `http://127.0.0.1:${ports.api}`;
      await waitReady(base, c, () => out);
      const local = JSON.parse(await readFile(join(dataDir, 'local-workspace.json'), 'utf8')) as { apiKey: string; workspaceId: string };
      const auth = { authorization: `Bearer ${local.apiKey}` };
      return {
        api: createWorkflowApi({ baseUrl: base, apiKey: local.apiKey }), ws: local.workspaceId,
        fetch: (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } }),
      };
    },
    async killAll() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
    async restartRunner() {
      await deployment.killAll();
      await deployment.start();
    },
    async close() {
      await deployment.killAll();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return deployment;
}

/** api + listener + runner processes on BullMQ (shared Redis, private prefix) and MongoDB (wire-protocol server). */
async function distributed(): Promise<Deployment> {
  const mongo: TestMongo = await startTestMongo();
  const prefix = uniquePrefix('compose-kill');
  const [apiPort, listenerPort, runnerPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const common = {
    MONGO_URI: withDatabase(mongo.uri, uniqueDbName('outrun_compose')), REDIS_URL: SHARED_REDIS_URL, OUTRUN_QUEUE_PREFIX: prefix,
    OUTRUN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', RUNNER_RECONCILE_MS: '1000', OUTRUN_HTTP_ALLOW_LIST: '127.0.0.1',
  };
  let services: ServiceProcess[] = [];
  let ws: string | undefined;
  let apiKey: string | undefined;
  const base = `http://127.0.0.1:${apiPort}`;
  const deployment: Deployment = {
    async start() {
      // One after the other: three tsx start-ups at once can pass the 30 s readiness bound on a loaded machine.
      services = [];
      services.push(await spawnService('listener', common, { port: listenerPort }));
      services.push(await spawnService('runner', common, { port: runnerPort }));
      services.push(await spawnService('api', { ...common, API_HOST: '127.0.0.1', OUTRUN_ADMIN_TOKEN: ADMIN_TOKEN, LISTENER_SERVICE_URL: `http://127.0.0.1:${listenerPort}` }, { port: apiPort }));
      if (ws === undefined) {
        const created = await createWorkflowApi({ baseUrl: base }).createWorkspace('compose-kill', ADMIN_TOKEN);
        ws = created.workspace.id;
        apiKey = created.apiKey;
      }
      const auth = { authorization: `Bearer ${apiKey!}` };
      return {
        api: createWorkflowApi({ baseUrl: base, apiKey: apiKey! }), ws,
        fetch: (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } }),
      };
    },
    async killAll() {
      for (const s of services) s.kill('SIGKILL');
      await Promise.all(services.map((s) => s.exited));
    },
    async restartRunner() {
      const runner = services.find((s) => s.name === 'runner')!;
      runner.kill('SIGKILL');
      await runner.exited;
      services = [...services.filter((s) => s !== runner), await spawnService('runner', common, { port: runnerPort })];
    },
    async close() {
      await deployment.killAll();
      await mongo.close();
      await cleanupPrefix(SHARED_REDIS_URL, prefix);
    },
  };
  return deployment;
}

const flow = (name: string, nodes: Array<Record<string, unknown>>, edges: Array<[string, string, string?]>): WorkflowInputRaw => {
  const triggerId = `t-${name}`;
  return {
    name,
    triggers: [{ id: triggerId, type: 'manual' }],
    nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } }, ...nodes.map((n) => ({ position: { x: 0, y: 0 }, data: {}, ...n }) as never)],
    edges: edges.map(([source, target, sourceHandle], i) => ({ id: `e${i}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) })),
  };
};

async function poll<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const deployments: Deployment[] = [];
afterAll(async () => {
  for (const d of deployments) await d.close().catch(() => undefined);
});

describe.each([
  ['embedded (SQLite, in-process queue)', embedded],
  ['distributed (MongoDB wire server, BullMQ)', distributed],
] as const)('kill -9 while waiting: %s', (_mode, deploy) => {
  it('parent waits for child, child waits for approval; every process killed and restarted; the decision resumes each once', async () => {
    const d = await deploy();
    deployments.push(d);
    let c = await d.start();
    const child = await c.api.createWorkflow(c.ws, flow(`child-${_mode.length}`, [
      { id: 'gate', type: 'approval', data: { title: 'Ship it?', timeoutMs: 600_000 } },
      { id: 'paid', type: 'wait-for-event', data: { event: 'order.paid', key: '{{ trigger.item }}', timeoutMs: 600_000 } },
      { id: 'done', type: 'set', data: { fields: [{ name: 'shipped', value: '{{ trigger.item }}' }, { name: 'amount', value: '{{ steps.paid.payload.amount }}' }] } },
    ], [['start', 'gate'], ['gate', 'paid', 'approved'], ['paid', 'done', 'received']]));
    const parent = await c.api.createWorkflow(c.ws, flow(`parent-${_mode.length}`, [
      { id: 'call', type: 'workflow', data: { workflowId: child.id, input: { item: '{{ trigger.item }}' }, timeoutMs: 600_000 } },
      { id: 'after', type: 'set', data: { fields: [{ name: 'result', value: '{{ steps.call.shipped }}' }] } },
    ], [['start', 'call'], ['call', 'after']]));
    const { runId } = await c.api.runWorkflow(c.ws, parent.id, { payload: { item: 'box-7' } });
    const waitingParent = await poll('the parent to wait', async () => {
      const r = await c.api.getRun(c.ws, runId);
      return r.waitingFor?.startsWith('child:') ? r : undefined;
    });
    const childRunId = waitingParent.waitingFor!.slice('child:'.length);
    await poll('the child to wait for its approval', async () => ((await c.api.getRun(c.ws, childRunId)).waitingFor === 'approval:gate' ? true : undefined));

    await d.killAll();
    c = await d.start();
    // Still waiting after the restart: nothing resumed by itself.
    expect(await c.api.getRun(c.ws, runId)).toMatchObject({ status: 'running', waitingFor: `child:${childRunId}` });
    expect(await c.api.getRun(c.ws, childRunId)).toMatchObject({ status: 'running', waitingFor: 'approval:gate', parentRunId: runId, parentStepId: 'call' });

    const decide = () => c.fetch(`/api/workspaces/${c.ws}/runs/${childRunId}/approvals/gate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'approve' }) });
    expect((await decide()).status).toBe(200);
    expect((await decide()).status).toBe(409);
    // Then the child waits for the payment event: kill everything again, restart, post the event.
    await poll('the child to wait for the event', async () => ((await c.api.getRun(c.ws, childRunId)).waitingFor?.startsWith('event:') ? true : undefined));
    await d.killAll();
    c = await d.start();
    const event = await c.fetch(`/api/workspaces/${c.ws}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'order.paid', key: 'box-7', payload: { amount: 12 } }) });
    expect(await event.json()).toEqual({ resumed: 1, runIds: [childRunId] });
    const done = await poll('the parent to finish', async () => {
      const r = await c.api.getRun(c.ws, runId);
      return r.status === 'completed' || r.status === 'failed' ? r : undefined;
    });
    expect(done.status).toBe('completed');
    expect(done.steps.find((s) => s.nodeId === 'after')).toMatchObject({ status: 'completed', attempt: 1, output: { result: 'box-7' } });
    const childDone: Run = await c.api.getRun(c.ws, childRunId);
    expect(childDone.status).toBe('completed');
    expect(childDone.steps.find((s) => s.nodeId === 'gate')).toMatchObject({ status: 'completed', handle: 'approved', output: { decision: 'approve' } });
    expect(childDone.steps.find((s) => s.nodeId === 'done')).toMatchObject({ status: 'completed', attempt: 1, output: { amount: 12 } });
    expect(childDone.steps.find((s) => s.nodeId === 'paid')).toMatchObject({ status: 'completed', handle: 'received' });
    // Exactly one child run for the parent's step.
    const kids = (await c.api.listRuns(c.ws, { workflowId: child.id })).items;
    expect(kids.map((k) => k.id)).toEqual([childRunId]);
  }, 240_000);

  it('a failed run starts its error workflow exactly once across kill -9 of the runner before the failure and after the handler started', async () => {
    const d = await deploy();
    deployments.push(d);
    const calls = new Map<string, number>();
    const held: Array<() => void> = [];
    // The first call of each path hangs until the runner is killed (the step is in flight); later calls answer.
    const sink: HttpSink = await startHttpSink({
      respond: async (req) => {
        const n = (calls.get(req.url) ?? 0) + 1;
        calls.set(req.url, n);
        if (n === 1) await new Promise<void>((r) => held.push(r));
        return req.url === '/boom' ? { status: 500, body: { down: true } } : { status: 200, body: { paged: true } };
      },
    });
    try {
      const c = await d.start();
      const handler = await c.api.createWorkflow(c.ws, flow(`on-call-${_mode.length}`, [
        { id: 'page', type: 'http-request', data: { method: 'POST', url: `${sink.url}/page`, bodyType: 'json', body: { failed: '{{ trigger.failedRun.id }}' } }, settings: { retry: { maxRetries: 0 } } },
      ], [['start', 'page']]));
      const failing = await c.api.createWorkflow(c.ws, {
        ...flow(`charge-${_mode.length}`, [{ id: 'boom', type: 'http-request', data: { method: 'GET', url: `${sink.url}/boom` }, settings: { retry: { maxRetries: 0 } } }], [['start', 'boom']]),
        settings: { errorWorkflowId: handler.id },
      });
      const handlerRuns = async () => (await c.api.listRuns(c.ws, { workflowId: handler.id })).items;
      const { runId } = await c.api.runWorkflow(c.ws, failing.id, { payload: {} });

      // 1. kill -9 while the failing step is in flight: nothing failed yet, no handler.
      await poll('the failing step to call out', async () => (calls.get('/boom') === 1 ? true : undefined));
      expect(await handlerRuns()).toEqual([]);
      await d.restartRunner();
      const failed = await poll('the run to fail after the restart', async () => {
        const r = await c.api.getRun(c.ws, runId);
        return r.status === 'failed' ? r : undefined;
      }, 120_000);
      expect(failed.error?.nodeId).toBe('boom');

      // 2. kill -9 while the handler's first step is in flight: the failure is written, the handler started.
      await poll('the error workflow to call out', async () => (calls.get('/page') === 1 ? true : undefined), 120_000);
      const started = await handlerRuns();
      expect(started).toHaveLength(1);
      await d.restartRunner();
      const handled = await poll('the handler to finish', async () => {
        const [r] = await handlerRuns();
        return r && (r.status === 'completed' || r.status === 'failed') ? r : undefined;
      }, 120_000);
      expect(handled.status).toBe('completed');
      expect(handled.id).toBe(started[0]!.id);
      const full: Run = await c.api.getRun(c.ws, handled.id);
      expect(full.triggeredBy).toMatchObject({ source: `error-handler:${runId}`, payload: { failedRun: { id: runId, workflowId: failing.id, failedNodeId: 'boom' } } });
      // Exactly once: a moment later still one handler run, and the failed run is still failed.
      await new Promise((r) => setTimeout(r, 2000));
      expect((await handlerRuns()).map((r) => r.id)).toEqual([handled.id]);
      expect((await c.api.getRun(c.ws, runId)).status).toBe('failed');
    } finally {
      for (const release of held) release();
      await sink.close();
    }
  }, 400_000);
});
