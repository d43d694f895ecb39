/**
 * A real gateway for tests: temp SQLite store, in-process queue and event bus, the real node catalog,
 * listening on port 0, logs captured in memory (the canary test searches them).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createWorkflowApi, type WorkflowApi } from '@outrun/client';
import { createLogger } from '@outrun/config';
import { createNodeCatalog } from '@outrun/nodes';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createApiServer, type ApiDeps, type ApiServer } from '../src/index';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export interface ApiHarness {
  baseUrl: string;
  app: ApiServer;
  server: Server;
  temp: TempSqliteStore;
  deps: ApiDeps;
  /** Every log line written so far (JSON text). */
  logs: string[];
  /** Workspace created at start, with its key and a client bound to it. */
  ws: string;
  apiKey: string;
  api: WorkflowApi;
  /** Creates another workspace; returns its id, key and client. */
  newWorkspace(name?: string): Promise<{ ws: string; apiKey: string; api: WorkflowApi }>;
  /** Raw fetch against the gateway with the harness key (override headers freely). */
  fetch(path: string, init?: RequestInit & { apiKey?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startApi(overrides: Partial<ApiDeps> = {}): Promise<ApiHarness> {
  const temp = await createTempSqliteStore();
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const deps: ApiDeps = {
    store: temp.store,
    queue: createMemoryQueue(),
    events: createMemoryEventBus(),
    catalog: createNodeCatalog(),
    logger: createLogger({ name: 'api', level: 'debug', destination }),
    adminToken: ADMIN_TOKEN,
    rateLimit: false,
    sseHeartbeatMs: 200,
    ...overrides,
  };
  const app = createApiServer(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = createWorkflowApi({ baseUrl });
  const newWorkspace = async (name = 'test workspace') => {
    const created = await admin.createWorkspace(name, ADMIN_TOKEN);
    return { ws: created.workspace.id, apiKey: created.apiKey, api: createWorkflowApi({ baseUrl, apiKey: created.apiKey }) };
  };
  const first = await newWorkspace('first');
  return {
    baseUrl,
    app,
    server,
    temp,
    deps,
    logs,
    ...first,
    newWorkspace,
    fetch(path, init = {}) {
      const { apiKey, ...rest } = init;
      const headers = new Headers(rest.headers);
      const key = apiKey === undefined ? first.apiKey : apiKey;
      if (key !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
      return fetch(`${baseUrl}${path}`, { ...rest, headers });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.queue.close();
      await deps.events.close();
      await temp.cleanup();
    },
  };
}

/** A minimal valid workflow: manual trigger → set → noop. */
export function simpleWorkflow(name = 'simple', triggerId = 'manual-1') {
  return {
    name,
    triggers: [{ id: triggerId, type: 'manual' as const }],
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
      { id: 'set', type: 'set', position: { x: 200, y: 0 }, data: { fields: [{ name: 'ok', value: true }] } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'set' }],
  };
}

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
