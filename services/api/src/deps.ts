import type { RequestListener } from 'node:http';
import type { Logger } from '@outrun/config';
import type { NodeCatalog } from '@outrun/engine';
import type { EventBus, RunQueue } from '@outrun/queue';
import type { Store } from '@outrun/store';
import type { ExpressionSandbox } from '@outrun/sandbox';
import type { Template } from '@outrun/templates';
import type { Registry } from 'prom-client';
import type { RateLimitOptions } from './http/token-bucket';

/** Everything the gateway needs, injected (no I/O at import time). */
export interface ApiDeps {
  store: Store;
  queue: RunQueue;
  events: EventBus;
  catalog: NodeCatalog;
  logger: Logger;
  /** Admin token allowed to create workspaces; absent = nobody can. */
  adminToken?: string;
  /** Listener base URL: `/webhook/*` is proxied there unchanged. */
  listenerUrl?: string;
  /** Embedded mode (no `listenerUrl`): the listener's request handler, called in-process for `/webhook/*`. */
  webhookHandler?: RequestListener;
  /** The web app's origin, allowed by CORS. */
  webOrigin?: string;
  /** Public base URL of the gateway (webhook URLs in trigger details). @default derived from the request */
  publicBaseUrl?: string;
  /** @default Date.now */
  clock?: { now(): number };
  /** Per API key token bucket; `false` disables. @default {rps: 20, burst: 100} */
  rateLimit?: RateLimitOptions | false;
  /** Other services' base URLs, aggregated by `GET /api/health` (e.g. `{listener, runner}`). */
  healthTargets?: Record<string, string>;
  /** SSE comment heartbeat interval in ms. @default 15000 */
  sseHeartbeatMs?: number;
  /** Prometheus registry (`/metrics`). @default a new registry for "api" */
  metrics?: Registry;
  /** Templates offered by `/api/templates`. @default the built-in set of @outrun/templates */
  templates?: readonly Template[];
  /**
   * Where `POST …/expressions/preview` evaluates (off the event loop, heap-capped, hard timeout).
   * @default a two-worker sandbox created with the server
   */
  expressionSandbox?: ExpressionSandbox;
  /** Per API key token bucket of the expression preview, on top of `rateLimit`; `false` disables. @default {rps: 5, burst: 30} */
  previewRateLimit?: RateLimitOptions | false;
}

/** Deps after defaults were applied (what routes receive). */
export interface ResolvedDeps extends ApiDeps {
  now: () => number;
  expressionSandbox: ExpressionSandbox;
  templates: readonly Template[];
  sseHeartbeatMs: number;
}
