/**
 * The API gateway: `createApiServer(deps)` builds the Express app (no I/O until it is listened on).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRunLifecycle } from '@outrun/queue';
import { systemClock } from '@outrun/schemas';
import express, { type Express } from 'express';
import { TokenBuckets, createHttpHistogram, createLimits, createMetricsRegistry } from '@outrun/config';
import { createExpressionSandbox } from '@outrun/sandbox';
import { builtinTemplates } from '@outrun/templates';
import type { ApiDeps, ResolvedDeps } from './deps';
import { errorHandler, unknownRoute } from './http/errors';
import { mountRoutes } from './http/mount-routes';
import { hostCheck } from './http/host-check';
import { requestId } from './http/request-id';
import type { Route } from './http/route';
import { cors, securityHeaders } from './http/security-headers';
import { StreamSlots } from './http/stream-slots';
import { StoredBytesCache } from './logic/usage-cache';
import { webhookProxy } from './http/webhook-proxy';
import { createRefusalMemory, createWebhookGate } from './http/webhook-gate';
import { aiSettingsRoutes } from './routes/ai-settings';
import { apiKeyRoutes } from './routes/api-keys';
import { credentialRoutes } from './routes/credentials';
import { dataRoutes } from './routes/data';
import { eventRoutes } from './routes/events';
import { expressionRoutes } from './routes/expressions';
import { healthRoutes } from './routes/health';
import { nodeRoutes } from './routes/nodes';
import { connectorRoutes } from './routes/connectors';
import { openApiRoute } from './routes/openapi';
import { runRoutes } from './routes/runs';
import { compositionRoutes } from './routes/composition';
import { statsRoutes } from './routes/stats';
import { templateRoutes } from './routes/templates';
import { testRunRoutes } from './routes/test-runs';
import { transferRoutes } from './routes/transfer';
import { triggerRoutes } from './routes/triggers';
import { versionRoutes } from './routes/versions';
import { draftRoutes } from './routes/drafts';
import { workflowRoutes } from './routes/workflows';
import { workspaceRoutes } from './routes/workspaces';
import { mcpRoutes } from './mcp/mcp-routes';
import { boundedTriggerSync, httpTriggerSync } from './logic/trigger-sync';
import { resolveAccountOptions } from './logic/accounts/options';
import { accountRoutes } from './routes/auth';
import { memberRoutes } from './routes/members';
import { auditRoutes } from './routes/audit';
import { oidcRoutes } from './routes/oidc';
import { localSessionRoutes } from './routes/local-session';

/** Default per-key rate limit: 20 requests/s sustained, bursts of 100. */
export const DEFAULT_RATE_LIMIT = { rps: 20, burst: 100 } as const;

/** The route table of the gateway (everything except the proxied `/webhook/*`). */
export function buildRoutes(deps: ResolvedDeps, registry: ReturnType<typeof createMetricsRegistry>): Route[] {
  const routes: Route[] = [
    ...healthRoutes(deps, registry),
    ...workspaceRoutes(deps),
    ...statsRoutes(deps),
    ...apiKeyRoutes(deps),
    // import before `:id` routes of the same shape
    ...transferRoutes(deps),
    ...workflowRoutes(deps),
    ...versionRoutes(deps),
    ...draftRoutes(deps),
    ...triggerRoutes(deps),
    ...runRoutes(deps),
    ...compositionRoutes(deps),
    ...testRunRoutes(deps),
    ...eventRoutes(deps),
    ...dataRoutes(deps),
    ...credentialRoutes(deps),
    ...templateRoutes(deps),
    ...nodeRoutes(deps),
    ...connectorRoutes(deps),
    ...expressionRoutes(deps),
    ...mcpRoutes(deps),
    ...aiSettingsRoutes(deps),
    ...accountRoutes(deps),
    ...memberRoutes(deps),
    ...auditRoutes(deps),
    ...oidcRoutes(deps),
    ...localSessionRoutes(deps),
  ];
  routes.push(openApiRoute(() => routes));
  return routes;
}

export interface ApiServer extends Express {
  /** The route table (for the OpenAPI document and tests). */
  routes: readonly Route[];
}

export function createApiServer(deps: ApiDeps): ApiServer {
  const clock = deps.clock ?? systemClock;
  const resolved: ResolvedDeps = {
    ...deps,
    clock,
    templates: deps.templates ?? builtinTemplates,
    sseHeartbeatMs: deps.sseHeartbeatMs ?? 15_000,
    syncTriggers: boundedTriggerSync(deps.syncTriggers ?? (deps.listenerUrl ? httpTriggerSync(deps.listenerUrl) : undefined), deps.logger),
    // Workers start on the first preview and are unref'd (an idle gateway holds none). Two workers: one key may hold both (see MAX_PREVIEWS_IN_FLIGHT_PER_KEY) only until its 2 s timeouts.
    expressionSandbox: deps.expressionSandbox ?? createExpressionSandbox({ size: 2 }),
    limits: deps.limits ?? createLimits(),
    streams: new StreamSlots(),
    storedBytes: new StoredBytesCache(deps.store.housekeeping, clock),
    accountOptions: resolveAccountOptions(deps.accounts, deps.webOrigin),
    lifecycle: createRunLifecycle({
      store: deps.store, queue: deps.queue, events: deps.events, clock,
      onBestEffortFailure: (what, runId, err) => deps.logger.warn({ err: String(err), runId }, `${what} failed`),
    }),
  };
  const registry = deps.metrics ?? createMetricsRegistry('api');
  const histogram = createHttpHistogram(registry);
  const rateLimit = deps.rateLimit === undefined ? DEFAULT_RATE_LIMIT : deps.rateLimit;
  const buckets = rateLimit === false ? null : new TokenBuckets(rateLimit, clock);

  const app = express() as unknown as ApiServer;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(requestId(deps.logger, clock));
  app.use((req, res, next) => {
    const end = histogram.startTimer();
    res.on('finish', () => end({ method: req.method, route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  app.use(securityHeaders);
  if (deps.allowedHosts) app.use(hostCheck({ allowedHosts: deps.allowedHosts, ...(deps.webOrigin ? { allowedOrigins: [deps.webOrigin] } : {}) }));
  app.use(cors(deps.webOrigin));
  const learned = createRefusalMemory(250, resolved.clock);
  app.all('/webhook/*rest', webhookProxy({ logger: deps.logger, onBacklogFull: learned.observe, ...(deps.listenerUrl ? { listenerUrl: deps.listenerUrl } : {}), ...(deps.webhookHandler ? { handler: deps.webhookHandler } : {}) }));
  // Overload refusals before Express's request set-up and middleware (http/webhook-gate.ts).
  const gate = createWebhookGate({ refusal: deps.webhookRefusal ?? learned.refusal, clock: resolved.clock });
  const handle = (app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void }).handle.bind(app);
  Object.assign(app, { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => gate(req, res) || handle(req, res, next) });

  const routes = buildRoutes(resolved, registry);
  const router = express.Router();
  mountRoutes(router, routes, { store: deps.store, sessionIdleMs: resolved.accountOptions.sessionIdleMs, adminToken: deps.adminToken, buckets, limits: resolved.limits, logger: deps.logger });
  app.use(router);
  app.use(unknownRoute);
  app.use(errorHandler(deps.logger));
  app.routes = routes;
  return app;
}
