import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ErrorCode } from '@outrun/schemas';
import { systemClock, type Clock } from '@outrun/engine';
import { CREDENTIALS_CHANNEL, createRunLifecycle, typedBus, type EventBus, type RunQueue } from '@outrun/queue';
import { z } from 'zod';
import type { Store } from '@outrun/store';
import { canReadMetrics, createHttpHistogram, createLimits, createMetricsRegistry, METRICS_FORBIDDEN_BODY, type LimitsResolver, type Logger } from '@outrun/config';
import { DataChangeFollower } from './data/data-change-follower';
import { WebhookRateLimiter } from './limits/webhook-rate-limit';
import { createBacklogGuard } from './limits/backlog-guard';
import { sendError, sendJson } from './http/respond';
import { Scheduler } from './schedule/scheduler';
import { TriggerIndex, type IndexProblem } from './triggers/trigger-index';
import { SourceSupervisor } from './sources/source-supervisor';
import { createNetworkGuard, type Connector, type NetworkGuard } from '@outrun/connector-kit';
import { TriggerStatsBuffer } from './triggers/trigger-stats-buffer';
import { handleWebhook, webhookRefusal, type WebhookContext } from './webhook/handle-webhook';
import { SecretCache } from './webhook/secret-cache';
import { traceWebhook } from './webhook/trace-webhook';

export interface ListenerOptions {
  /** Prefix of `statusUrl` in webhook answers (the gateway's public URL). @default "" (a path) */
  publicBaseUrl?: string;
  /** Bearer token for `/metrics`; unset = loopback peers only. */
  metricsToken?: string;
  /** Workflows change-counter poll interval. @default 250 */
  reloadIntervalMs?: number;
  /** Trigger statistics flush interval. @default 1000 */
  statsFlushMs?: number;
  /** Change-feed consumer id (one per listener deployment). @default "listener:data" */
  dataConsumerId?: string;
  /** How often a quiet data change feed saves its newer position. @default 10000 */
  dataIdlePositionSaveMs?: number;
  /**
   * Called per schedule fire with ms after due when it started and when its run was recorded and queued
   * (negative: staged that long ahead of due) (benchmarks).
   */
  observeScheduleLag?: (startMs: number, queuedMs: number) => void;
  /** Schedule occurrences are staged (recorded, job delayed until due) this long ahead; 0 fires at due. @default 1000 */
  scheduleLeadMs?: number;
  /** Run the schedule and data-change followers (webhooks only when false). @default true */
  followers?: boolean;
  /** Per-workspace limits (default webhook rate limits per trigger and per workspace). @default the documented defaults */
  limits?: LimitsResolver;
  /** Runs waiting to start past which webhooks answer 503 + Retry-After (docs/performance.md#overload); 0 = off. @default 0 */
  backlogHighWater?: number;
}

export interface ListenerDeps {
  store: Store;
  queue: RunQueue;
  events: EventBus;
  logger: Logger;
  /** @default the system clock */
  clock?: Clock;
  options?: ListenerOptions;
  /** Installed connectors: their event sources back `event_source` triggers. @default none */
  connectors?: readonly Connector[];
  /** Outbound policy for the hosts source credentials name. @default private addresses refused, nothing allowed */
  networkGuard?: NetworkGuard;
}

export interface Listener {
  /** The `node:http` request listener (webhooks, /healthz, /readyz, /metrics). */
  handler: RequestListener;
  /** Loads triggers, fires schedule catch-up, starts the timer wheel, the data-change follower and reloads. */
  start(): Promise<void>;
  /** Stops following, waits for in-flight fires, flushes statistics. Does not close the store or queue. */
  close(): Promise<void>;
  metrics: Registry;
  /** Re-reads active workflows now (tests; the poll does this within `reloadIntervalMs`). */
  reload(): Promise<void>;
  /**
   * Resolves once every workflow change committed before the call is served (webhooks routed, schedules on the
   * wheel). The gateway awaits it after activate/pause/edit — in process in embedded mode, through
   * `POST /internal/triggers/sync` otherwise — so a caller can post to a webhook as soon as activate returns.
   */
  syncTriggers(): Promise<void>;
  /** While the run backlog is at its mark: counts a refused webhook and gives its Retry-After; else null (embedded gateway). */
  refuseWebhook(): { retryAfterSeconds: number } | null;
}

function listenerMetrics(registry: Registry) {
  return {
    http: createHttpHistogram(registry),
    webhooks: new Counter({ name: 'listener_webhook_requests_total', help: 'Webhook requests by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    fireLag: new Histogram({
      name: 'listener_schedule_fire_lag_seconds',
      help: 'Schedule occurrence due → fire started (stage=start) and → run recorded and queued (stage=queued); negative: staged ahead of due',
      labelNames: ['stage'] as const,
      buckets: [-1, -0.5, -0.25, -0.1, 0, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
  };
}

/**
 * Builds the listener (plain `node:http`: the webhook path is the hot path, see README for the Express
 * comparison). No I/O until `start()`.
 */
export async function createListener(deps: ListenerDeps): Promise<Listener> {
  const { store, queue, events, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const options = deps.options ?? {};
  const registry = createMetricsRegistry('listener');
  const m = listenerMetrics(registry);
  const stats = new TriggerStatsBuffer(store.triggers, logger, options.statsFlushMs ?? 1000);
  const lifecycle = createRunLifecycle({ store, queue, events, clock });
  const scheduler = new Scheduler({
    store, lifecycle, clock, stats, logger,
    ...(options.scheduleLeadMs === undefined ? {} : { leadMs: options.scheduleLeadMs }),
    observeLag: (start, recorded) => {
      m.fireLag.observe({ stage: 'start' }, start / 1000);
      m.fireLag.observe({ stage: 'queued' }, recorded / 1000);
      options.observeScheduleLag?.(start, recorded);
    },
  });
  let started = false;
  const reportProblems = (problems: IndexProblem[]) => {
    const at = new Date(clock.now()).toISOString();
    for (const p of problems) stats.error(p.workspaceId, p.triggerId, { code: p.code, message: p.message, at });
  };
  new Gauge({
    name: 'listener_schedules_active',
    help: 'Schedule triggers on the timer wheel',
    registers: [registry],
    collect() {
      this.set(scheduler.pending());
    },
  });
  const index = new TriggerIndex(store.workflows, {
    logger,
    ...(options.reloadIntervalMs === undefined ? {} : { reloadIntervalMs: options.reloadIntervalMs }),
    onReload: async (snapshot, problems) => {
      reportProblems(problems);
      if (started && options.followers !== false) await scheduler.sync(snapshot.schedules, { catchUp: false });
      if (started && options.followers !== false) await sources.sync(snapshot.sources);
    },
  });
  // Event sources count in the backlog like webhooks; past the mark they wait instead of being refused.
  const backlog = { tryAdmit: () => ctx.backlog?.tryAdmit() ?? true, release: () => ctx.backlog?.release() };
  const sources = new SourceSupervisor(deps.connectors ?? [], { store, lifecycle, clock, stats, logger, networkGuard: deps.networkGuard ?? createNetworkGuard(), backlog });
  const follower = new DataChangeFollower({ store, lifecycle, clock, stats, logger, index, ...(options.dataConsumerId ? { consumerId: options.dataConsumerId } : {}), ...(options.dataIdlePositionSaveMs !== undefined ? { idlePositionSaveMs: options.dataIdlePositionSaveMs } : {}) });
  const ctx: WebhookContext = {
    index, store, lifecycle, events, clock, stats, logger,
    secrets: new SecretCache(store.credentials),
    rateLimiter: new WebhookRateLimiter(options.limits ?? createLimits()),
    backlog: options.backlogHighWater ? createBacklogGuard({ queue, highWater: options.backlogHighWater, clock }) : undefined,
    publicBaseUrl: (options.publicBaseUrl ?? '').replace(/\/$/, ''),
    countOutcome: (outcome) => m.webhooks.inc({ outcome }),
    metricsToken: options.metricsToken,
  };

  new Gauge({
    name: 'listener_run_backlog',
    help: 'Runs waiting to start as the webhook overload guard last saw them (0 when OUTRUN_BACKLOG_HIGH_WATER is 0)',
    registers: [registry],
    collect() {
      this.set(ctx.backlog?.backlog() ?? 0);
    },
  });

  const CredentialChange = z.object({ workspaceId: z.string(), credentialId: z.string() });
  let unsubscribeCredentials: (() => Promise<void>) | undefined;

  const handler: RequestListener = (req, res) => {
    const startedAt = performance.now();
    const route = dispatch(req, res, ctx, registry, store, queue, logger, index);
    res.once('finish', () => m.http.observe({ method: req.method ?? 'GET', route, status: String(res.statusCode) }, (performance.now() - startedAt) / 1000));
  };

  return {
    handler,
    metrics: registry,
    reload: () => index.reload(),
    syncTriggers: () => index.catchUp(),
    refuseWebhook: () => webhookRefusal(ctx),
    async start() {
      // A rotation that revokes the previous secret takes effect at once, not when the cached copy expires.
      unsubscribeCredentials = await typedBus(events, CredentialChange).subscribe(CREDENTIALS_CHANNEL, (change) => ctx.secrets.evict(change.workspaceId, change.credentialId));
      await index.reload();
      started = true;
      stats.start();
      index.start();
      if (options.followers !== false) {
        await scheduler.sync(index.snapshot.schedules, { catchUp: true });
        scheduler.start();
        await follower.start();
        await sources.sync(index.snapshot.sources);
      }
      logger.info({ webhooks: index.snapshot.webhooks.size, schedules: index.snapshot.schedules.size }, 'listener started');
    },
    async close() {
      await unsubscribeCredentials?.();
      index.stop();
      await Promise.all([scheduler.close(), follower.close(), sources.close()]);
      await stats.close();
    },
  };
}

/** A path segment decoded, or undefined when empty or malformed (`%zz`): a 404, never a thrown URIError. */
function safeDecode(segment: string | undefined): string | undefined {
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The tiny router. @returns the route label for metrics. */
function dispatch(req: IncomingMessage, res: ServerResponse, ctx: WebhookContext, registry: Registry, store: Store, queue: RunQueue, logger: Logger, index: TriggerIndex): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.startsWith('/webhook/')) {
    const parts = path.split('/');
    const ws = parts.length === 4 ? safeDecode(parts[2]) : undefined;
    const trigger = parts.length === 4 ? safeDecode(parts[3]) : undefined;
    if (ws && trigger) {
      traceWebhook(req, res, { workspaceId: ws, triggerId: trigger }, () => handleWebhook(ctx, req, res, ws, trigger, q < 0 ? '' : url.slice(q + 1))).catch((err: unknown) => {
        logger.error({ err }, 'webhook handler failed');
        if (!res.headersSent) sendError(res, 500, ErrorCode.INTERNAL, 'Internal error.');
        else res.destroy();
      });
      return '/webhook/:workspaceId/:triggerId';
    }
  }
  req.resume();
  if (req.method === 'POST' && path === '/internal/triggers/sync') {
    // Harmless to anyone (it only re-reads the store when a change is pending, shared by concurrent callers).
    index.catchUp().then(
      () => sendJson(res, 200, { status: 'synced' }),
      (err: unknown) => sendError(res, 503, ErrorCode.UNAVAILABLE, `Trigger sync failed: ${(err as Error).message}`),
    );
    return path;
  }
  if (req.method === 'GET' && path === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
    return path;
  }
  if (req.method === 'GET' && path === '/readyz') {
    Promise.all([store.ping(), queue.ping()]).then(
      () => sendJson(res, 200, { status: 'ready' }),
      (err: unknown) => sendError(res, 503, ErrorCode.UNAVAILABLE, `Not ready: ${(err as Error).message}`),
    );
    return path;
  }
  if (req.method === 'GET' && path === '/metrics') {
    const header = req.headers.authorization;
    if (!canReadMetrics({ token: ctx.metricsToken }, req.socket.remoteAddress, Array.isArray(header) ? header[0] : header)) {
      sendJson(res, 403, METRICS_FORBIDDEN_BODY);
      return path;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      () => sendError(res, 500, ErrorCode.INTERNAL, 'metrics failed'),
    );
    return path;
  }
  sendError(res, 404, ErrorCode.NOT_FOUND, 'Not found.');
  return 'unmatched';
}
