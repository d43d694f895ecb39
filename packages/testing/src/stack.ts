/**
 * `createStack()`: the embedded stack of `npm start` for tests, built on the services' own composition roots
 * (`composeApi`, `composeListener`, `composeRunner`) so a test runs the wiring production runs, not a copy.
 * The gateway serves `/webhook/*` through the in-process listener; a SQLite file the test chooses; BullMQ under
 * a private prefix when `redis` is given, the in-process queue otherwise; every log line captured.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApiEnv, composeApi, type ApiDeps } from '@outrun/api';
import { createWorkflowApi, type WorkflowApi } from '@outrun/client';
import type { Connector } from '@outrun/connector-kit';
import { createLogger, parseEnv } from '@outrun/config';
import { localHosts } from '@outrun/schemas';
import { composeListener, ListenerEnv, type ComposedListener } from '@outrun/listener';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import { composeRunner, RunnerEnv, type ComposedRunner } from '@outrun/runner';
import type { Store } from '@outrun/store';
import { createSqliteStore } from '@outrun/store/sqlite';

export interface Stack {
  baseUrl: string;
  store: Store;
  opened: OpenedQueue;
  listener: ComposedListener['listener'];
  runner: ComposedRunner['runner'];
  /** The admin token of this stack (creates workspaces). */
  adminToken: string;
  /** Every log line of api, listener and runner so far (pino JSON). */
  logs: string[];
  /** The local workspace (`localWorkspace`): made before the gateway, which signs its owner in like `npm start`. */
  local?: StackWorkspace;
  /** Creates a workspace through the API; returns its id, key and a client. */
  newWorkspace(name: string): Promise<StackWorkspace>;
  close(): Promise<void>;
}

export interface StackWorkspace {
  ws: string;
  apiKey: string;
  api: WorkflowApi;
}

export interface StackOptions {
  /** SQLite file (its directory must exist). */
  file: string;
  /** An already opened store on `file` to use (the caller closes it); opened by the stack when absent. */
  store?: Store;
  encryptionKey: string;
  /** BullMQ on this Redis under this prefix; in-process queue when absent. */
  redis?: { url: string; prefix: string };
  /** Hosts/CIDRs the http-request node may reach. @default ["127.0.0.1"] */
  allowList?: string[];
  /** More environment variables, parsed by each service's own schema (e.g. `RUNNER_GRACE_MS`). */
  env?: Record<string, string>;
  /** Connector packages: their actions join the catalog, their sources the listener (`OUTRUN_CONNECTORS` in production). */
  connectors?: readonly Connector[];
  /** Account options merged over the environment's (an SMTP mailer of a test server). */
  accounts?: ApiDeps['accounts'];
  /** Creates this workspace and a key before the gateway, which then signs the local owner in (`stack.local`). */
  localWorkspace?: string;
  /** Log level of the captured lines. @default debug */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export async function createStack(options: StackOptions): Promise<Stack> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ name: 'stack', level: options.logLevel ?? 'debug', destination });
  const adminToken = `admin-${randomBytes(16).toString('hex')}`;
  // Tests drive many requests from one key, need no periodic reconcile and stop at once: no rate limit, timer or grace.
  const source: Record<string, string> = {
    OUTRUN_ENCRYPTION_KEY: options.encryptionKey,
    OUTRUN_ADMIN_TOKEN: adminToken,
    OUTRUN_HTTP_ALLOW_LIST: (options.allowList ?? ['127.0.0.1']).join(','),
    API_RATE_LIMIT_RPS: '1000000',
    API_RATE_LIMIT_BURST: '1000000',
    RUNNER_RECONCILE_MS: '0',
    RUNNER_GRACE_MS: '0',
    ...options.env,
  };
  const store = options.store ?? createSqliteStore({ file: options.file, encryptionKey: options.encryptionKey });
  const opened = openQueue(options.redis ? { redisUrl: options.redis.url, prefix: options.redis.prefix } : {});
  const connectors = options.connectors ? { connectors: options.connectors } : {};
  const runner = composeRunner(parseEnv(RunnerEnv, source), { store, opened, logger: logger.child({ service: 'runner' }), ...connectors });
  const listener = await composeListener(parseEnv(ListenerEnv, source), { store, opened, logger: logger.child({ service: 'listener' }), ...connectors });
  let local: { ws: string; apiKey: string } | undefined;
  if (options.localWorkspace !== undefined) {
    const workspace = await store.workspaces.createWorkspace({ name: options.localWorkspace });
    local = { ws: workspace.id, apiKey: (await store.workspaces.createApiKey(workspace.id, { name: 'local (test stack)' })).apiKey };
  }
  const app = composeApi(parseEnv(ApiEnv, source), { store, opened, logger: logger.child({ service: 'api' }), ...connectors, ...(options.accounts ? { accounts: options.accounts } : {}) }, {
    webhookHandler: listener.listener.handler,
    syncTriggers: () => listener.listener.syncTriggers(),
    allowedHosts: localHosts(''),
    ...(local ? { localSignIn: { apiKey: local.apiKey, workspaceId: local.ws } } : {}),
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await listener.start();
  await runner.runner.start();
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = createWorkflowApi({ baseUrl });
  return {
    baseUrl, store, opened, listener: listener.listener, runner: runner.runner, adminToken, logs,
    ...(local ? { local: { ...local, api: createWorkflowApi({ baseUrl, apiKey: local.apiKey }) } } : {}),
    async newWorkspace(name) {
      const created = await admin.createWorkspace(name, adminToken);
      return { ws: created.workspace.id, apiKey: created.apiKey, api: createWorkflowApi({ baseUrl, apiKey: created.apiKey }) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop();
      await listener.stop();
      await opened.close();
      if (!options.store) await store.close();
    },
  };
}

/** `createStack()` on a fresh SQLite file in a temp dir with a random key; `close()` also removes the dir. */
export async function createTempStack(options: Omit<StackOptions, 'file' | 'encryptionKey' | 'store'> = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'outrun-stack-'));
  try {
    const stack = await createStack({ ...options, file: join(dir, 'outrun.db'), encryptionKey: randomBytes(32).toString('hex') });
    return {
      ...stack,
      async close() {
        await stack.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
