/**
 * "Activate returns when the webhook is live": with the listener's own poll slowed to a minute, a webhook posted
 * right after activate (or a pause/edit) must already see the new state — through the listener's HTTP sync
 * endpoint (distributed) and in process (embedded).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@outrun/config';
import { createListener, type Listener } from '@outrun/listener';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';

const quiet = createLogger({ name: 'sync', level: 'silent' });

function hookWorkflow(name: string, triggerId: string) {
  return {
    name,
    triggers: [{ id: triggerId, type: 'webhook' as const, config: { auth: { type: 'none' as const } } }],
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
      { id: 'set', type: 'set', position: { x: 200, y: 0 }, data: { fields: [{ name: 'ok', value: true }] } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'set' }],
  };
}

interface Stack {
  h: ApiHarness;
  listener: Listener;
  close(): Promise<void>;
}

/** Gateway + listener on one SQLite store; `viaHttp` wires the sync through the listener's HTTP endpoint. */
async function startStack(viaHttp: boolean): Promise<Stack> {
  let handler: RequestListener = (_req, res) => res.end();
  const listenerServer: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => listenerServer.listen(0, '127.0.0.1', () => r()));
  const listenerUrl = `http://127.0.0.1:${(listenerServer.address() as AddressInfo).port}`;
  // The gateway starts first (it creates the store); the embedded sync reaches the listener made next.
  const late: { listener?: Listener } = {};
  const h = await startApi(viaHttp ? { listenerUrl } : { listenerUrl, syncTriggers: () => late.listener!.syncTriggers() });
  const listener = await createListener({ store: h.temp.store, queue: h.deps.queue, events: h.deps.events, logger: quiet, options: { reloadIntervalMs: 60_000, followers: false } });
  late.listener = listener;
  await listener.start();
  handler = listener.handler;
  return {
    h,
    listener,
    async close() {
      await listener.close();
      listenerServer.closeAllConnections();
      await new Promise<void>((r) => listenerServer.close(() => r()));
      await h.close();
    },
  };
}

describe.each([['through the listener\'s HTTP sync endpoint', true], ['in process (embedded)', false]])('trigger changes are live when the API answers, %s', (_label, viaHttp) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(viaHttp);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a webhook posted right after activate is accepted, right after pause is refused, right after an edit uses the new trigger', async () => {
    const { h } = stack;
    const trigger = `hook-${viaHttp ? 'http' : 'mem'}`;
    const wf = await h.api.createWorkflow(h.ws, hookWorkflow('sync', trigger));
    const post = (id: string) => h.fetch(`/webhook/${h.ws}/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}', apiKey: null });

    await h.api.activateWorkflow(h.ws, wf.id);
    expect((await post(trigger)).status).toBe(202);

    const renamed = `${trigger}-2`;
    const current = await h.api.getWorkflow(h.ws, wf.id);
    await h.api.updateWorkflow(h.ws, wf.id, hookWorkflow('sync', renamed), { expectedVersion: current.version });
    expect((await post(renamed)).status).toBe(202);
    expect((await post(trigger)).status).toBe(404);

    await h.api.pauseWorkflow(h.ws, wf.id);
    expect((await post(renamed)).status).toBe(404);
  });

  it('a listener that cannot confirm does not fail the save (bounded wait, the saved state answers)', async () => {
    const { h } = stack;
    const wf = await h.api.createWorkflow(h.ws, hookWorkflow('down', `down-${viaHttp ? 'http' : 'mem'}`));
    const store = h.temp.store.workflows;
    const counter = store.workflowsChangeCounter.bind(store);
    store.workflowsChangeCounter = () => Promise.reject(new Error('store hiccup in the listener'));
    try {
      const activated = await h.api.activateWorkflow(h.ws, wf.id);
      expect(activated.status).toBe('active');
    } finally {
      store.workflowsChangeCounter = counter;
    }
  });
});
