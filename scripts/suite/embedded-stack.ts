/**
 * The embedded stack of `npm start` (gateway with the listener in-process for `/webhook/*`, a runner) on a SQLite
 * file the test chooses, with every log line captured: for fault and secret-leak tests that need the whole path
 * in one process. The queue is BullMQ under a private prefix when `redis` is given, in-process otherwise.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createWorkflowApi, type WorkflowApi } from '@outrun/client';
import { createLogger } from '@outrun/config';
import { createApiServer } from '@outrun/api';
import { createListener, type Listener } from '@outrun/listener';
import { createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import { createRunner, type Runner } from '@outrun/runner';
import type { Store } from '@outrun/store';
import { createSqliteStore } from '@outrun/store/sqlite';

export const STACK_ADMIN_TOKEN = `admin-${randomBytes(16).toString('hex')}`;

export interface EmbeddedStack {
  baseUrl: string;
  store: Store;
  opened: OpenedQueue;
  listener: Listener;
  runner: Runner;
  /** Every log line of api, listener and runner so far (pino JSON). */
  logs: string[];
  /** Creates a workspace through the API; returns its id, key and a client. */
  newWorkspace(name: string): Promise<{ ws: string; apiKey: string; api: WorkflowApi }>;
  close(): Promise<void>;
}

export interface EmbeddedStackOptions {
  /** SQLite file (its directory must exist). */
  file: string;
  encryptionKey: string;
  /** BullMQ on this Redis under this prefix; in-process queue when absent. */
  redis?: { url: string; prefix: string };
  /** Hosts/CIDRs the http-request node may reach. @default ["127.0.0.1"] */
  allowList?: string[];
}

export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ name: 'stack', level: 'debug', destination });
  const store = createSqliteStore({ file: options.file, encryptionKey: options.encryptionKey });
  const opened = openQueue(options.redis ? { redisUrl: options.redis.url, prefix: options.redis.prefix } : {});
  const { queue, events, limiter } = opened;
  const catalog = createNodeCatalog();
  const http = createHttpClient({ allowList: options.allowList ?? ['127.0.0.1'] });
  const runner = createRunner({ store, queue, events, limiter, catalog, http, logger: logger.child({ service: 'runner' }), options: { reconcileIntervalMs: 0 } });
  const listener = await createListener({ store, queue, events, logger: logger.child({ service: 'listener' }), options: { statsFlushMs: 50, reloadIntervalMs: 50 } });
  const app = createApiServer({ store, queue, events, catalog, logger: logger.child({ service: 'api' }), webhookHandler: listener.handler, adminToken: STACK_ADMIN_TOKEN, rateLimit: false });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await listener.start();
  await runner.start();
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = createWorkflowApi({ baseUrl });
  return {
    baseUrl, store, opened, listener, runner, logs,
    async newWorkspace(name) {
      const created = await admin.createWorkspace(name, STACK_ADMIN_TOKEN);
      return { ws: created.workspace.id, apiKey: created.apiKey, api: createWorkflowApi({ baseUrl, apiKey: created.apiKey }) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop({ graceMs: 0 });
      await listener.close();
      await opened.close();
      await http.close();
      await store.close();
    },
  };
}
