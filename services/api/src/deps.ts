import type { RequestListener } from 'node:http';
import type { LimitsResolver, Logger, RateLimitOptions } from '@outrun/config';
import type { NodeCatalog } from '@outrun/engine';
import type { Clock } from '@outrun/schemas';
import type { Connector, NetworkGuard } from '@outrun/connector-kit';
import type { EventBus, RunLifecycle, RunQueue } from '@outrun/queue';
import type { Store } from '@outrun/store';
import type { ExpressionSandbox } from '@outrun/sandbox';
import type { Template } from '@outrun/templates';
import type { Registry } from 'prom-client';
import type { StreamSlots } from './http/stream-slots';
import type { StoredBytesCache } from './logic/usage-cache';
import type { SyncTriggers } from './logic/trigger-sync';
import type { WebhookRefusalCheck } from './http/webhook-gate';
import type { AccountOptions, ResolvedAccountOptions } from './logic/accounts/options';

/** Everything the gateway needs, injected (no I/O at import time). */
export interface ApiDeps {
  store: Store;
  queue: RunQueue;
  events: EventBus;
  catalog: NodeCatalog;
  /** Installed connectors (`GET /api/connectors`, credential tests). @default none */
  connectors?: readonly Connector[];
  /** Outbound policy for the hosts a tested connector credential names. @default none (compose passes the env's) */
  networkGuard?: NetworkGuard;
  logger: Logger;
  /** Admin token allowed to create workspaces; absent = nobody can. */
  adminToken?: string;
  /** Listener base URL: `/webhook/*` is proxied there unchanged. */
  listenerUrl?: string;
  /** Embedded mode (no `listenerUrl`): the listener's request handler, called in-process for `/webhook/*`. */
  webhookHandler?: RequestListener;
  /** Embedded mode: the listener's backlog refusal, given before Express (`http/webhook-gate.ts`). @default learned from the listener's 503s */
  webhookRefusal?: WebhookRefusalCheck;
  /**
   * Waits until the listener serves a trigger change (embedded: the in-process listener's `syncTriggers`).
   * @default through `listenerUrl` when set, else nothing to wait for
   */
  syncTriggers?: SyncTriggers;
  /** The web app's origin, allowed by CORS. */
  webOrigin?: string;
  /**
   * Only these `Host` names (`name` any port, or `name:port`) reach the API, and an `Origin`, when sent, must be
   * one of theirs or `webOrigin` (DNS-rebinding guard; `/webhook/*` exempt). Embedded mode sets the loopback names.
   * @default undefined (any host: a distributed gateway behind its own proxy)
   */
  allowedHosts?: readonly string[];
  /** Public base URL of the gateway (webhook URLs in trigger details). @default derived from the request */
  publicBaseUrl?: string;
  /** The time every route and the run lifecycle read (the one `Clock`). @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /** Per API key token bucket; `false` disables it and the per-workspace bucket. @default {rps: 20, burst: 100} */
  rateLimit?: RateLimitOptions | false;
  /** Per-workspace quotas and limits (workspace rate limit, streams, page bytes, versions kept, …). @default the documented defaults */
  limits?: LimitsResolver;
  /** Other services' base URLs, aggregated by `GET /api/health` (e.g. `{listener, runner}`). */
  healthTargets?: Record<string, string>;
  /** SSE comment heartbeat interval in ms. @default 15000 */
  sseHeartbeatMs?: number;
  /** Bearer token for `/metrics`; unset = loopback peers only. */
  metricsToken?: string;
  /** Prometheus registry (`/metrics`). @default a new registry for "api" */
  metrics?: Registry;
  /** Templates offered by `/api/templates`. @default the built-in set of @outrun/templates */
  templates?: readonly Template[];
  /**
   * Where `POST …/expressions/preview` evaluates (off the event loop, heap-capped, hard timeout).
   * @default a two-worker sandbox created with the server
   */
  expressionSandbox?: ExpressionSandbox;
  /** Key of signed approval links (`approvalLinkKey` of `@outrun/nodes`); absent = links are refused (403). */
  approvalLinkKey?: Buffer;
  /** Per API key token bucket of the expression preview, on top of `rateLimit`; `false` disables. @default {rps: 5, burst: 30} */
  previewRateLimit?: RateLimitOptions | false;
  /** Sessions, sign-up, invitation and reset emails, single sign-on (docs/accounts.md). @default sessions only, sign-up closed after the first user */
  accounts?: AccountOptions;
  /**
   * Embedded mode only: the web server may sign the local owner in by presenting this key to
   * `POST /api/auth/local-session` (it does so only for requests on the local origin). Absent = the route is 404.
   */
  localSignIn?: { apiKey: string; workspaceId: string };
}

/** Deps after defaults were applied (what routes receive). */
export interface ResolvedDeps extends ApiDeps {
  clock: Pick<Clock, 'now'>;
  expressionSandbox: ExpressionSandbox;
  limits: LimitsResolver;
  /** Open SSE streams of this gateway, per key and per workspace. */
  streams: StreamSlots;
  /** Stored bytes per workspace for quota checks (short-lived cache). */
  storedBytes: StoredBytesCache;
  templates: readonly Template[];
  sseHeartbeatMs: number;
  /** Bounded and never throwing (see logic/trigger-sync.ts). */
  syncTriggers: SyncTriggers;
  /** Every run transition the API makes (run now, cancel, retry). */
  lifecycle: RunLifecycle;
  accountOptions: ResolvedAccountOptions;
}
