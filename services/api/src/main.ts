/**
 * The gateway process: reads the environment, opens the store (MongoDB or the SQLite file) and the queue
 * (BullMQ when REDIS_URL is set, in-process otherwise), composes the gateway (`composeApi`) and serves it on API_PORT.
 * SIGTERM/SIGINT: stop accepting connections, finish in-flight requests (SSE streams are closed), exit.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfiguredConnectors } from '@outrun/connectors-builtin';
import { createLogger, parseEnv, runAsMain, stopOnSignals } from '@outrun/config';
import { startTelemetry } from '@outrun/telemetry';
import { openQueue } from '@outrun/queue/open';
import { openStore } from '@outrun/store/open';
import { ApiEnv } from './env';
import { composeApi } from './compose';

export async function main(): Promise<void> {
  const env = parseEnv(ApiEnv);
  const telemetry = startTelemetry({ serviceName: 'outrun-api', env });
  const logger = createLogger({ name: 'api', level: env.LOG_LEVEL });
  const store = await openStore({ mongoUri: env.MONGO_URI, dataDir: env.OUTRUN_DATA_DIR, encryptionKey: env.OUTRUN_ENCRYPTION_KEY, logger });
  const opened = openQueue({ redisUrl: env.REDIS_URL, prefix: env.OUTRUN_QUEUE_PREFIX, logger });
  const connectors = await loadConfiguredConnectors(env.OUTRUN_CONNECTORS);
  const app = composeApi(env, { store, opened, logger, connectors });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(env.API_PORT, env.API_HOST, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  logger.info({ port: (server.address() as AddressInfo).port, queue: opened.mode, listener: env.LISTENER_SERVICE_URL ?? null }, 'api listening');
  if (!env.LISTENER_SERVICE_URL) logger.warn('LISTENER_SERVICE_URL is not set: /webhook/* answers 503 on this gateway');

  stopOnSignals(logger, async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // SSE streams never end on their own: give requests a moment, then close what is left.
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
    await closed;
    await Promise.allSettled([opened.close()]);
    await store.close();
    await telemetry.shutdown();
  });
}

runAsMain('api', import.meta.url, main);
