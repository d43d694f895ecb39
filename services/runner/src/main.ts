/**
 * The runner process: reads the environment, opens the store and the queue (BullMQ when REDIS_URL is set,
 * in-process otherwise), starts consuming and serves /healthz, /readyz, /metrics. SIGTERM/SIGINT drain:
 * stop taking jobs, let in-flight runs finish within RUNNER_GRACE_MS, hand back the rest, exit.
 */
import type { Server } from 'node:http';
import { createLogger, runAsMain, stopOnSignals, warnIfWildcard } from '@outrun/config';
import { createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { createRunLifecycle } from '@outrun/queue';
import { openQueue } from '@outrun/queue/open';
import { openStore } from '@outrun/store/open';
import { readRunnerEnv, type RunnerEnv } from './env';
import { createRunner } from './runner';
import { createRunnerServer } from './server';

/** Provider defaults for ai-agent nodes that name no credential. */
function aiDefaults(env: RunnerEnv) {
  return {
    allowList: env.OUTRUN_HTTP_ALLOW_LIST,
    ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    ...(env.OPENAI_API_MODE ? { apiMode: env.OPENAI_API_MODE } : {}),
  };
}

export async function main(): Promise<void> {
  const env = readRunnerEnv();
  const logger = createLogger({ name: 'runner', level: env.LOG_LEVEL });
  const store = await openStore({ mongoUri: env.MONGO_URI, dataDir: env.OUTRUN_DATA_DIR, encryptionKey: env.OUTRUN_ENCRYPTION_KEY, logger });
  const opened = openQueue({ redisUrl: env.REDIS_URL, prefix: env.OUTRUN_QUEUE_PREFIX, logger });
  const http = createHttpClient({ allowList: env.OUTRUN_HTTP_ALLOW_LIST });
  const runner = createRunner({
    store,
    queue: opened.queue,
    events: opened.events,
    limiter: opened.limiter,
    catalog: createNodeCatalog(),
    logger,
    http,
    services: { ai: aiDefaults(env) },
    options: { concurrency: env.RUNNER_CONCURRENCY, graceMs: env.RUNNER_GRACE_MS, reconcileIntervalMs: env.RUNNER_RECONCILE_MS },
  });
  // The in-process queue forgets everything on exit: re-enqueue what the store still holds as unfinished.
  if (opened.mode === 'memory') logger.info({ recovered: await createRunLifecycle({ store, queue: opened.queue }).recover() }, 'recovered unfinished runs');
  await runner.start();
  const server: Server = createRunnerServer(runner, { metricsToken: env.OUTRUN_METRICS_TOKEN }).listen(env.RUNNER_PORT, env.RUNNER_HOST, () => {
    logger.info({ host: env.RUNNER_HOST, port: env.RUNNER_PORT, mode: opened.mode }, 'runner listening');
    warnIfWildcard(logger, 'the runner', env.RUNNER_HOST, 'RUNNER_HOST');
  });

  stopOnSignals(logger, async () => {
    server.close();
    await runner.stop({ graceMs: env.RUNNER_GRACE_MS });
    await Promise.allSettled([opened.close(), http.close()]);
    await store.close();
  });
}

runAsMain('runner', import.meta.url, main);
