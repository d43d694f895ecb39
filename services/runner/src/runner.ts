import type { Registry } from 'prom-client';
import { mathRandom, systemClock, type Clock, type HttpClient, type NodeCatalog, type NodeServices, type Random } from '@outrun/engine';
import type { Logger } from '@outrun/config';
import { createRunLifecycle, type Consumer, type EventBus, type RunQueue, type WorkflowLimiter } from '@outrun/queue';
import { createMemoryWorkflowLimiter } from '@outrun/queue/memory';
import type { Store } from '@outrun/store';
import { createCancelWatcher } from './cancel-watcher';
import { createRunJobHandler } from './run-job-handler';
import { createRunnerMetrics } from './runner-metrics';

export interface RunnerOptions {
  /** Worker slots of this process: runs executing at once. @default 16 */
  concurrency?: number;
  /** How long `stop()` waits for in-flight runs before handing them back to the queue (ms). @default 10000 */
  graceMs?: number;
  /** Wait before a run over its workflow's `settings.concurrency` asks for a slot again (ms). @default 200 */
  workflowConcurrencyPollMs?: number;
  /** Wait before retrying a job whose run could not be loaded or finished (store down) (ms). @default 1000 */
  storeRetryMs?: number;
  /** Minimum gap between store checks for a cancel whose event was missed (ms). @default 1000 */
  cancelPollMs?: number;
  /** How often unfinished runs without a queue job are re-enqueued (Redis lost its data); 0 = never. @default 30000 */
  reconcileIntervalMs?: number;
}

export interface RunnerDeps {
  store: Store;
  queue: RunQueue;
  events: EventBus;
  catalog: NodeCatalog;
  logger: Logger;
  /**
   * Per-workflow concurrency across runners. Use the Redis one (`openQueue().limiter`) whenever several runner
   * processes share a queue. @default an in-process limiter (correct for one process only)
   */
  limiter?: WorkflowLimiter;
  clock?: Clock;
  random?: Random;
  /** Outbound HTTP for nodes (`createHttpClient` from `@outrun/nodes`: SSRF-guarded, pooled). */
  http?: HttpClient;
  /** Extra node services (AI provider defaults, …); `http`, `credentials` and `data` are set by the runner. */
  services?: Partial<NodeServices>;
  /** Key of signed approval links (`approvalLinkKey` of `@outrun/nodes`); absent = approval nodes send no links. */
  approvalLinkKey?: Buffer;
  /** Public base URL of the gateway (absolute approval links, error-handler payload links). */
  publicBaseUrl?: string;
  options?: RunnerOptions;
}

export interface Runner {
  /** Starts consuming the queue. */
  start(): Promise<void>;
  /** Stops taking jobs, waits up to `graceMs` for in-flight runs, then hands the rest back (redelivered). */
  stop(opts?: { graceMs?: number }): Promise<void>;
  metrics: Registry;
  /** Store and queue reachable. */
  ready(): Promise<boolean>;
}

/**
 * The runner: consumes run jobs and executes each run's pinned workflow version with the engine, recording
 * every step as it happens. Constructing it does no I/O; `start()` begins consuming.
 */
export function createRunner(deps: RunnerDeps): Runner {
  const options = deps.options ?? {};
  const metrics = createRunnerMetrics(deps.queue);
  const clock = deps.clock ?? systemClock;
  const lifecycle = createRunLifecycle({
    store: deps.store, queue: deps.queue, events: deps.events, clock,
    onBestEffortFailure: (what, runId, err) => deps.logger.debug({ err, runId }, `${what} not published`),
  });
  const cancels = createCancelWatcher(deps.events, deps.logger);
  const handler = createRunJobHandler({
    store: deps.store,
    lifecycle,
    events: deps.events,
    cancels,
    limiter: deps.limiter ?? createMemoryWorkflowLimiter(),
    catalog: deps.catalog,
    logger: deps.logger,
    clock,
    random: deps.random ?? mathRandom,
    http: deps.http,
    services: deps.services,
    metrics,
    workflowConcurrencyPollMs: options.workflowConcurrencyPollMs ?? 200,
    storeRetryMs: options.storeRetryMs ?? 1000,
    cancelPollMs: options.cancelPollMs ?? 1000,
    approvalLinkKey: deps.approvalLinkKey,
    publicBaseUrl: deps.publicBaseUrl,
  });
  let consumer: Consumer | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let reconciling = false;
  const reconcile = async () => {
    if (reconciling) return;
    reconciling = true;
    try {
      const restored = await lifecycle.reconcile();
      if (restored > 0) deps.logger.warn({ restored }, 're-enqueued unfinished runs that had lost their queue job');
    } catch (err) {
      deps.logger.warn({ err }, 'queue reconciliation failed; will try again');
    } finally {
      reconciling = false;
    }
  };

  return {
    metrics: metrics.registry,
    async start() {
      if (consumer) return;
      // Listening for cancels before the first run starts (bounded: a slow bus only delays noticing a cancel).
      await cancels.start(1000);
      consumer = await deps.queue.consume(handler, { concurrency: options.concurrency ?? 16 });
      deps.logger.info({ concurrency: options.concurrency ?? 16 }, 'runner consuming');
      const every = options.reconcileIntervalMs ?? 30_000;
      if (every > 0) {
        reconcileTimer = setInterval(() => void reconcile(), every);
        reconcileTimer.unref();
      }
    },
    async stop(opts = {}) {
      clearInterval(reconcileTimer);
      const current = consumer;
      consumer = undefined;
      if (!current) return;
      await current.close({ graceMs: opts.graceMs ?? options.graceMs ?? 10_000 });
      await cancels.close();
      deps.logger.info('runner stopped');
    },
    async ready() {
      try {
        await Promise.all([deps.store.ping(), deps.queue.ping()]);
        return true;
      } catch {
        return false;
      }
    },
  };
}
