/**
 * The gateway's composition root: from a parsed environment and the opened adapters, the API server. Used by
 * `main.ts` (its own store and queue, the listener over HTTP) and by `npm start` (shared adapters, the listener
 * in-process through `embedded`).
 */
import type { RequestListener } from 'node:http';
import { limitsFromEnv, type Logger } from '@outrun/config';
import { approvalLinkKey, createNodeCatalog } from '@outrun/nodes';
import { readOrCreateKeyFile } from '@outrun/store/open';
import { connectorNodes, createNetworkGuard, type Connector } from '@outrun/connector-kit';
import type { OpenedQueue } from '@outrun/queue/open';
import { localHosts } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import type { ApiEnv } from './env';
import type { SyncTriggers } from './logic/trigger-sync';
import type { WebhookRefusalCheck } from './http/webhook-gate';
import { createApiServer, type ApiServer } from './server';
import { accountOptionsFromEnv } from './logic/accounts/from-env';
import type { AccountOptions } from './logic/accounts/options';

/** What one process adds when the listener runs beside the gateway (`npm start`). */
export interface EmbeddedListener {
  webhookHandler: RequestListener;
  /** The listener's backlog refusal (answered before Express). */
  webhookRefusal?: WebhookRefusalCheck;
  syncTriggers: SyncTriggers;
  /** Host names the gateway answers to (embedded mode always guards against DNS rebinding). */
  allowedHosts: readonly string[];
  /** The local key and workspace: the web server signs the local owner in with them (docs/accounts.md). */
  localSignIn?: { apiKey: string; workspaceId: string };
}

/**
 * `deps.accounts` is merged over the environment's account options: an outside adapter opened by the caller (a
 * mailer) joins the ones the environment describes.
 */
export function composeApi(env: ApiEnv, deps: { store: Store; opened: Pick<OpenedQueue, 'queue' | 'events'>; logger: Logger; connectors?: readonly Connector[]; accounts?: AccountOptions }, embedded?: EmbeddedListener): ApiServer {
  const healthTargets: Record<string, string> = {};
  if (env.LISTENER_SERVICE_URL) healthTargets.listener = env.LISTENER_SERVICE_URL;
  if (env.WORKFLOW_SERVICE_URL) healthTargets.runner = env.WORKFLOW_SERVICE_URL;
  return createApiServer({
    store: deps.store,
    queue: deps.opened.queue,
    events: deps.opened.events,
    catalog: createNodeCatalog(connectorNodes(deps.connectors ?? [])),
    connectors: deps.connectors ?? [],
    networkGuard: createNetworkGuard({ allowList: env.OUTRUN_HTTP_ALLOW_LIST }),
    logger: deps.logger,
    webOrigin: env.WEB_ORIGIN,
    ...(env.OUTRUN_METRICS_TOKEN ? { metricsToken: env.OUTRUN_METRICS_TOKEN } : {}),
    ...(env.API_ALLOWED_HOSTS ? { allowedHosts: localHosts(env.API_ALLOWED_HOSTS) } : {}),
    rateLimit: { rps: env.API_RATE_LIMIT_RPS, burst: env.API_RATE_LIMIT_BURST },
    limits: limitsFromEnv(env),
    approvalLinkKey: approvalLinkKey(env.OUTRUN_ENCRYPTION_KEY ?? readOrCreateKeyFile(env.OUTRUN_DATA_DIR)),
    healthTargets,
    accounts: deps.accounts ? { ...accountOptionsFromEnv(env), ...deps.accounts } : accountOptionsFromEnv(env),
    ...(env.OUTRUN_ADMIN_TOKEN ? { adminToken: env.OUTRUN_ADMIN_TOKEN } : {}),
    ...(env.LISTENER_SERVICE_URL ? { listenerUrl: env.LISTENER_SERVICE_URL } : {}),
    ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: env.PUBLIC_BASE_URL } : {}),
    ...(embedded ? { webhookHandler: embedded.webhookHandler, ...(embedded.webhookRefusal ? { webhookRefusal: embedded.webhookRefusal } : {}), syncTriggers: embedded.syncTriggers, allowedHosts: embedded.allowedHosts, ...(embedded.localSignIn ? { localSignIn: embedded.localSignIn } : {}) } : {}),
  });
}
