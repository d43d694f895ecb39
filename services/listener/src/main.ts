/**
 * The listener process: reads the environment, opens the store (MongoDB or the SQLite file) and the queue
 * (BullMQ when REDIS_URL is set, in-process otherwise), starts the listener and serves it on LISTENER_PORT.
 * SIGTERM/SIGINT: stop accepting connections, stop schedules and the change feed, flush statistics, exit.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfiguredConnectors } from '@outrun/connectors-builtin';
import { createLogger, runAsMain, stopOnSignals, warnIfWildcard } from '@outrun/config';
import { startTelemetry } from '@outrun/telemetry';
import { openQueue } from '@outrun/queue/open';
import { openStore } from '@outrun/store/open';
import { composeListener } from './compose';
import { loadListenerEnv } from './env';

export async function main(): Promise<void> {
  const env = loadListenerEnv();
  const telemetry = startTelemetry({ serviceName: 'outrun-listener', env });
  const logger = createLogger({ name: 'listener', level: env.LOG_LEVEL });
  const store = await openStore({ mongoUri: env.MONGO_URI, dataDir: env.OUTRUN_DATA_DIR, encryptionKey: env.OUTRUN_ENCRYPTION_KEY, logger });
  const opened = openQueue({ redisUrl: env.REDIS_URL, prefix: env.OUTRUN_QUEUE_PREFIX, logger });
  const connectors = await loadConfiguredConnectors(env.OUTRUN_CONNECTORS);
  const composed = await composeListener(env, { store, opened, logger, connectors });
  // Every listener starts a housekeeper; the store's lease lets exactly one work.
  await composed.start();
  const server: Server = createServer(composed.listener.handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.LISTENER_PORT, env.LISTENER_HOST, resolve));
  logger.info({ host: env.LISTENER_HOST, port: (server.address() as AddressInfo).port, queue: opened.mode }, 'listener listening');
  warnIfWildcard(logger, 'the listener', env.LISTENER_HOST, 'LISTENER_HOST');

  stopOnSignals(logger, async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await composed.stop();
    await closed;
    await Promise.allSettled([opened.close()]);
    await store.close();
    await telemetry.shutdown();
  });
}

runAsMain('listener', import.meta.url, main);
