/**
 * The runner process: reads the environment, opens the store and the queue (BullMQ when REDIS_URL is set,
 * in-process otherwise), composes the runner (`composeRunner`), starts consuming and serves /healthz, /readyz,
 * /metrics. SIGTERM/SIGINT drain: stop taking jobs, let in-flight runs finish within RUNNER_GRACE_MS, hand back
 * the rest, exit.
 */
import { createServer, type Server } from 'node:http';
import { loadConfiguredConnectors } from '@outrun/connectors-builtin';
import { createLogger, runAsMain, stopOnSignals, warnIfWildcard } from '@outrun/config';
import { startTelemetry } from '@outrun/telemetry';
import { createRunLifecycle } from '@outrun/queue';
import { openQueue } from '@outrun/queue/open';
import { openStore } from '@outrun/store/open';
import { composeRunner } from './compose';
import { readRunnerEnv } from './env';

export async function main(): Promise<void> {
  const env = readRunnerEnv();
  const telemetry = startTelemetry({ serviceName: 'outrun-runner', env });
  const logger = createLogger({ name: 'runner', level: env.LOG_LEVEL });
  // With Redis the runner is one of several processes on the SQLite file, and the listener and api checkpoint it.
  const store = await openStore({ mongoUri: env.MONGO_URI, dataDir: env.OUTRUN_DATA_DIR, encryptionKey: env.OUTRUN_ENCRYPTION_KEY, sqliteWalCheckpoint: env.REDIS_URL ? 'elsewhere' : 'background', logger });
  const opened = openQueue({ redisUrl: env.REDIS_URL, prefix: env.OUTRUN_QUEUE_PREFIX, logger });
  const connectors = await loadConfiguredConnectors(env.OUTRUN_CONNECTORS);
  const composed = composeRunner(env, { store, opened, logger, connectors });
  // The in-process queue forgets everything on exit: re-enqueue what the store still holds as unfinished.
  if (opened.mode === 'memory') logger.info({ recovered: await createRunLifecycle({ store, queue: opened.queue }).recover() }, 'recovered unfinished runs');
  await composed.runner.start();
  const server: Server = createServer(composed.handler).listen(env.RUNNER_PORT, env.RUNNER_HOST, () => {
    logger.info({ host: env.RUNNER_HOST, port: env.RUNNER_PORT, mode: opened.mode }, 'runner listening');
    warnIfWildcard(logger, 'the runner', env.RUNNER_HOST, 'RUNNER_HOST');
  });

  stopOnSignals(logger, async () => {
    server.close();
    await composed.stop();
    await Promise.allSettled([opened.close()]);
    await store.close();
    await telemetry.shutdown();
  });
}

runAsMain('runner', import.meta.url, main);
