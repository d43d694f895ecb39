/**
 * `npm start`: the embedded stack in one process — api :3001, listener :3006 and runner :3005 share one store
 * (SQLite in OUTRUN_DATA_DIR, or MongoDB with MONGO_URI) and one queue (in-process, or BullMQ with REDIS_URL),
 * plus the web app :3000 as a child process. Ctrl-C stops everything cleanly.
 */
import { createServer, type Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, createLogger, warnIfWildcard } from '@outrun/config';
import { localHosts } from '@outrun/schemas';
import { startTelemetry } from '@outrun/telemetry';
import { newWriteTurnsBuffer, openStore } from '@outrun/store/open';
import { openQueue } from '@outrun/queue/open';
import { createRunLifecycle } from '@outrun/queue';
import { loadConfiguredConnectors } from '@outrun/connectors-builtin';
import { composeRunner } from '@outrun/runner';
import { createRunnerThread } from '@outrun/runner/thread';
import { composeListener } from '@outrun/listener';
import { composeApi } from '@outrun/api';
import { bootstrapLocalWorkspace } from './start/bootstrap-local-workspace';
import { findPortClashes } from './start/check-ports';
import { SAMPLE_TRIGGER_ID } from './start/sample-workflow';
import { loadStartEnv, serviceEnvs, type StartEnv } from './start/env';
import { startWeb, waitForWeb } from './start/start-web';
import { createStartupGate, type StartupGate } from './start/startup-gate';

// From source this file is scripts/start.ts; compiled (`npm start`) it is node_modules/.cache/outrun-start/<build>/start.js.
const root = resolve(fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '..' : '../../../..', import.meta.url)));

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const address = server.address();
      ok(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * The local API key goes to a terminal only: never through pino, and not into captured output (a log file, a
 * service manager's journal, CI logs), which is where it would outlive the session. It is always in the data dir.
 */
function apiKeyLine(apiKey: string, dataDir: string): string {
  const file = join(dataDir, 'local-workspace.json');
  return process.stdout.isTTY ? `API key:         ${apiKey}   (also in ${file})` : `API key:         not printed (output is not a terminal); it is in ${file}`;
}

/** The runner thread in the shape `main` uses for the in-process runner (`runner.start()`, `handler`, `stop()`). */
function threadedRunner(thread: ReturnType<typeof createRunnerThread>) {
  return { runner: { start: () => thread.start() }, handler: thread.handler, stop: () => thread.stop() };
}

async function main(env: StartEnv, gate: StartupGate): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'outrun', env });
  // Start-up chatter is held back until the banner (docs/editor.md, "Quieter npm start"); warnings pass at once.
  const logger = createLogger({ name: 'outrun', level: env.LOG_LEVEL, destination: gate.stream });
  process.stdout.write(env.OUTRUN_WEB_MODE === 'off' ? 'Starting Outrun…\n' : 'Starting Outrun… (the first start also builds the web app: a minute or two)\n');
  const clashes = await findPortClashes([
    { port: env.API_PORT, envVar: 'API_PORT', service: 'api' },
    { port: env.LISTENER_PORT, envVar: 'LISTENER_PORT', service: 'listener' },
    { port: env.RUNNER_PORT, envVar: 'RUNNER_PORT', service: 'runner' },
    ...(env.OUTRUN_WEB_MODE === 'off' ? [] : [{ port: env.WEB_PORT, envVar: 'WEB_PORT', service: 'web' }]),
  ]);
  if (clashes.length > 0) {
    for (const line of clashes) process.stderr.write(`${line}\n`);
    process.exit(1);
  }

  const dataDir = resolve(env.OUTRUN_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  // The runner thread (second core) shares the SQLite file: both threads' commits take the write lock in turn.
  const runnerThread = env.OUTRUN_RUNNER_THREAD && !env.REDIS_URL;
  const sqliteWriteTurns = runnerThread && !env.MONGO_URI ? newWriteTurnsBuffer() : undefined;
  const store = await openStore({
    dataDir,
    logger,
    sqliteWriteTurns,
    ...(env.MONGO_URI ? { mongoUri: env.MONGO_URI } : {}),
    ...(env.OUTRUN_ENCRYPTION_KEY ? { encryptionKey: env.OUTRUN_ENCRYPTION_KEY } : {}),
  });
  const queues = openQueue({ prefix: env.OUTRUN_QUEUE_PREFIX, ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) });
  const { queue, mode } = queues;
  const local = await bootstrapLocalWorkspace(store, dataDir);

  // One composition root per service, each given its own slice of the one parsed environment.
  const envs = serviceEnvs(env);
  const connectors = await loadConfiguredConnectors(env.OUTRUN_CONNECTORS);
  const runnerLogger = logger.child({ service: 'runner' });
  const runner = runnerThread
    ? threadedRunner(createRunnerThread({ env: envs.runner, store: { dataDir, sqliteWriteTurns, ...(env.MONGO_URI ? { mongoUri: env.MONGO_URI } : {}), ...(env.OUTRUN_ENCRYPTION_KEY ? { encryptionKey: env.OUTRUN_ENCRYPTION_KEY } : {}) }, queue, events: queues.events, logger: runnerLogger, logLevel: env.LOG_LEVEL }))
    : composeRunner(envs.runner, { store, opened: queues, logger: runnerLogger, connectors });
  const listener = await composeListener(envs.listener, { store, opened: queues, logger: logger.child({ service: 'listener' }), connectors });
  const api = composeApi(envs.api, { store, opened: queues, logger: logger.child({ service: 'api' }), connectors }, {
    webhookHandler: listener.listener.handler,
    webhookRefusal: () => listener.listener.refuseWebhook(),
    syncTriggers: () => listener.listener.syncTriggers(),
    // Embedded mode hands the local key to the web server: refuse foreign Host/Origin names (DNS rebinding).
    allowedHosts: localHosts(env.OUTRUN_ALLOWED_HOSTS),
    // The web server signs the local owner in with the local key, for requests on the local origin only.
    localSignIn: { apiKey: local.apiKey, workspaceId: local.workspaceId },
  });

  const servers = { api: createServer(api), listener: createServer(listener.listener.handler), runner: createServer(runner.handler) };
  const host = env.OUTRUN_BIND_HOST;
  warnIfWildcard(logger, 'npm start', host, 'OUTRUN_BIND_HOST');
  const ports = {
    api: await listen(servers.api, env.API_PORT, host),
    listener: await listen(servers.listener, env.LISTENER_PORT, host),
    runner: await listen(servers.runner, env.RUNNER_PORT, host),
  };
  // The listener also starts retention, version pruning and SQLite incremental vacuum (the store's lease makes it the only one).
  await listener.start();
  await runner.runner.start();
  // Embedded queue: runs that were queued or running when the last process stopped start again.
  if (mode === 'memory') await createRunLifecycle({ store, queue }).recover();

  const web = env.OUTRUN_WEB_MODE === 'off' ? null : await startWeb({
    root, port: env.WEB_PORT, host, mode: env.OUTRUN_WEB_MODE,
    env: { WORKFLOW_API_URL: `http://127.0.0.1:${ports.api}`, OUTRUN_API_KEY: local.apiKey, OUTRUN_WORKSPACE_ID: local.workspaceId, OUTRUN_ALLOWED_HOSTS: env.OUTRUN_ALLOWED_HOSTS },
    onLine: (line) => logger.info({ service: 'web' }, line),
  });
  if (web) await waitForWeb(env.WEB_PORT, web);

  const webhook = `http://localhost:${ports.api}/webhook/${local.workspaceId}/${SAMPLE_TRIGGER_ID}`;
  process.stdout.write([
    '',
    'Outrun is running (embedded mode: ' + (env.MONGO_URI ? 'MongoDB' : `SQLite in ${dataDir}`) + `, ${mode} queue)`,
    ...(web ? [`  web       http://localhost:${env.WEB_PORT}`] : []),
    `  api       http://localhost:${ports.api}`,
    `  listener  http://localhost:${ports.listener}`,
    `  runner    http://localhost:${ports.runner}`,
    '',
    `Local workspace: ${local.workspaceId}`,
    apiKeyLine(local.apiKey, dataDir),
    '',
    'Trigger the sample workflow:',
    `  curl -s -X POST ${webhook} -H 'content-type: application/json' -d '{"name":"Ada","employees":250}'`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'));
  gate.open();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    web?.kill('SIGTERM');
    await Promise.all(Object.values(servers).map((s) => new Promise((r) => s.close(r))));
    await listener.stop();
    await runner.stop(); // within RUNNER_GRACE_MS
    await queues.close();
    await store.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  web?.once('exit', (code) => {
    if (!stopping) logger.error({ code }, 'the web app exited');
  });
}

let gate: StartupGate | undefined;
try {
  const env = loadStartEnv();
  gate = createStartupGate(process.stdout, env.LOG_LEVEL);
  await main(env, gate);
} catch (err) {
  // What start-up logged before failing explains the failure: print what the gate held back.
  for (const line of gate?.held() ?? []) process.stderr.write(line);
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
