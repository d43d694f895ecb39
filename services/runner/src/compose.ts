/**
 * The runner's composition root: from a parsed environment and the opened adapters, the runner and its HTTP
 * handler. Used by `main.ts` (its own store and queue) and by `npm start` (adapters shared with the other services).
 */
import type { RequestListener } from 'node:http';
import type { Logger } from '@outrun/config';
import { approvalLinkKey, createHttpClient, createNodeCatalog } from '@outrun/nodes';
import { readOrCreateKeyFile } from '@outrun/store/open';
import type { OpenedQueue } from '@outrun/queue/open';
import { connectorNodes, createNetworkGuard, type Connector } from '@outrun/connector-kit';
import type { Store } from '@outrun/store';
import type { RunnerEnv } from './env';
import { createRunner, type Runner } from './runner';
import { createRunnerServer } from './server';

export interface ComposedRunner {
  runner: Runner;
  /** /healthz, /readyz, /metrics. */
  handler: RequestListener;
  /** Stops the runner within `RUNNER_GRACE_MS`, then closes what compose opened (the HTTP client). */
  stop(): Promise<void>;
}

/** Provider defaults for ai-agent nodes that name no credential. */
function aiDefaults(env: RunnerEnv) {
  return {
    allowList: env.OUTRUN_HTTP_ALLOW_LIST,
    ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    ...(env.OPENAI_API_MODE ? { apiMode: env.OPENAI_API_MODE } : {}),
    ...(env.OUTRUN_AI_PRICES_FILE ? { pricingFile: env.OUTRUN_AI_PRICES_FILE } : {}),
    ...(env.OUTRUN_TRACE_AI_CONTENT ? { traceContent: true } : {}),
  };
}

export function composeRunner(env: RunnerEnv, deps: { store: Store; opened: Pick<OpenedQueue, 'queue' | 'events' | 'limiter'>; logger: Logger; connectors?: readonly Connector[] }): ComposedRunner {
  const http = createHttpClient({ allowList: env.OUTRUN_HTTP_ALLOW_LIST });
  const runner = createRunner({
    store: deps.store,
    queue: deps.opened.queue,
    events: deps.opened.events,
    limiter: deps.opened.limiter,
    catalog: createNodeCatalog(connectorNodes(deps.connectors ?? [], undefined, { networkGuard: createNetworkGuard({ allowList: env.OUTRUN_HTTP_ALLOW_LIST }) })),
    logger: deps.logger,
    http,
    services: { ai: aiDefaults(env), mcp: { stdioAllowList: env.OUTRUN_MCP_STDIO_ALLOW } },
    approvalLinkKey: approvalLinkKey(env.OUTRUN_ENCRYPTION_KEY ?? readOrCreateKeyFile(env.OUTRUN_DATA_DIR)),
    ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: env.PUBLIC_BASE_URL } : {}),
    options: { concurrency: env.RUNNER_CONCURRENCY, graceMs: env.RUNNER_GRACE_MS, reconcileIntervalMs: env.RUNNER_RECONCILE_MS },
  });
  return {
    runner,
    handler: createRunnerServer(runner, { metricsToken: env.OUTRUN_METRICS_TOKEN }),
    async stop() {
      await runner.stop({ graceMs: env.RUNNER_GRACE_MS });
      await http.close();
    },
  };
}
