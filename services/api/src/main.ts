/**
 * The gateway process: reads the environment, opens the store (MongoDB or the SQLite file) and the queue
 * (BullMQ when REDIS_URL is set, in-process otherwise), and serves the API on API_PORT.
 * SIGTERM/SIGINT: stop accepting connections, finish in-flight requests (SSE streams are closed), exit.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, limitsFromEnv, parseEnv, runAsMain, stopOnSignals } from '@outrun/config';
import { startTelemetry } from '@outrun/telemetry';
import { createNodeCatalog } from '@outrun/nodes';
import { openQueue } from '@outrun/queue/open';
import { openStore } from '@outrun/store/open';
import { localHosts } from '@outrun/schemas';
import { ApiEnv } from './env';
import { createApiServer } from './server';

export async function main(): Promise<void> {
  const env = parseEnv(ApiEnv);
  const telemetry = startTelemetry({ serviceName: 'outrun-api', env });
  const logger = createLogger({ name: 'api', level: env.LOG_LEVEL });
  const store = await openStore({ mongoUri: env.MONGO_URI, dataDir: env.OUTRUN_DATA_DIR, encryptionKey: env.OUTRUN_ENCRYPTION_KEY, logger });
  const opened = openQueue({ redisUrl: env.REDIS_URL, prefix: env.OUTRUN_QUEUE_PREFIX, logger });
  const healthTargets: Record<string, string> = {};
  if (env.LISTENER_SERVICE_URL) healthTargets.listener = env.LISTENER_SERVICE_URL;
  if (env.WORKFLOW_SERVICE_URL) healthTargets.runner = env.WORKFLOW_SERVICE_URL;
  const app = createApiServer({
    store,
    queue: opened.queue,
    events: opened.events,
    catalog: createNodeCatalog(),
    logger,
    webOrigin: env.WEB_ORIGIN,
    ...(env.OUTRUN_METRICS_TOKEN ? { metricsToken: env.OUTRUN_METRICS_TOKEN } : {}),
    ...(env.API_ALLOWED_HOSTS ? { allowedHosts: localHosts(env.API_ALLOWED_HOSTS) } : {}),
    rateLimit: { rps: env.API_RATE_LIMIT_RPS, burst: env.API_RATE_LIMIT_BURST },
    limits: limitsFromEnv(env),
    healthTargets,
    ...(env.OUTRUN_ADMIN_TOKEN ? { adminToken: env.OUTRUN_ADMIN_TOKEN } : {}),
    ...(env.LISTENER_SERVICE_URL ? { listenerUrl: env.LISTENER_SERVICE_URL } : {}),
    ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: env.PUBLIC_BASE_URL } : {}),
  });
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
