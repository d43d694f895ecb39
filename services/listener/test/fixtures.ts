/**
 * Test fixtures: a listener on a real HTTP server (port 0) over a temp SQLite store and a queue, plus
 * helpers to create active workflows with triggers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowInput, type TriggerInput, type Workflow } from '@outrun/schemas';
import type { Clock } from '@outrun/engine';
import type { EventBus, RunQueue } from '@outrun/queue';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import type { Store } from '@outrun/store';
import { createLogger, type Logger } from '@outrun/config';
import { createNetworkGuard, type Connector, type NetworkGuard } from '@outrun/connector-kit';
import { createListener, type Listener, type ListenerOptions } from '../src/index';

export const silentLogger = createLogger({ name: 'listener-test', level: 'silent' });

export interface RunningListener {
  listener: Listener;
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startListener(deps: { store: Store; queue?: RunQueue; events?: EventBus; clock?: Clock; options?: ListenerOptions; logger?: Logger; connectors?: readonly Connector[]; networkGuard?: NetworkGuard }): Promise<RunningListener> {
  const listener = await createListener({
    store: deps.store,
    queue: deps.queue ?? createMemoryQueue(),
    events: deps.events ?? createMemoryEventBus(),
    logger: deps.logger ?? silentLogger,
    ...(deps.connectors ? { connectors: deps.connectors } : {}),
    // The local test servers (Redis, PostgreSQL, …) are private addresses: allowed explicitly, like an operator would.
    networkGuard: deps.networkGuard ?? createNetworkGuard({ allowList: ['127.0.0.1'] }),
    ...(deps.clock ? { clock: deps.clock } : {}),
    options: { statsFlushMs: 50, reloadIntervalMs: 50, ...deps.options },
  });
  await listener.start();
  const server = createServer(listener.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    listener,
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await listener.close();
    },
  };
}

/** Creates a workflow with one `set` node and the given triggers, activated unless told otherwise. */
export async function createWorkflow(store: Store, workspaceId: string, triggers: TriggerInput[], options: { status?: 'active' | 'draft' | 'paused'; name?: string } = {}): Promise<Workflow> {
  const input = WorkflowInput.parse({
    name: options.name ?? 'listener test',
    nodes: [{ id: 'n1', type: 'set', position: { x: 0, y: 0 }, data: {} }],
    triggers,
  });
  const created = await store.workflows.createWorkflow(workspaceId, input);
  const status = options.status ?? 'active';
  if (status === 'draft') return created;
  return (await store.workflows.setWorkflowStatus(workspaceId, created.id, status)) as Workflow;
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
