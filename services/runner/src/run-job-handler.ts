import { computeBackoff, executeWorkflow, type Clock, type ExecutionResult, type HttpClient, type NodeCatalog, type NodeServices, type Random } from '@outrun/engine';
import type { Logger } from '@outrun/config';
import { type EventBus, type JobContext, type JobHandler, type JobOutcome, type RunLifecycle, type WorkflowLimiter } from '@outrun/queue';
import { ErrorCode, isTerminalRunStatus, type Run, type SerializedError, type WorkflowVersion } from '@outrun/schemas';
import type { FinishRunInput, Store } from '@outrun/store';
import { createLiveOutput } from './live-output';
import { createNodeServices } from './node-services';
import { createWorkspaceAiLoader } from './workspace-ai';
import type { CancelWatcher } from './cancel-watcher';
import type { RunnerMetrics } from './runner-metrics';
import { toEngineStep } from './step-mapping';
import { markRunStatus, traceRunAttempt, withStepTracing } from './run-tracing';
import { createStepRecorder } from './step-recorder';
import { createVersionCache, type CachedVersion } from './version-cache';
import { createCompositionServices } from './composition/child-runs';
import { startErrorHandler } from './composition/error-handler';
import { resumeSignalOf, settleEarlyChild } from './composition/waiting';
import { loadTestVersion } from './test-version';

export interface RunJobHandlerDeps {
  store: Store;
  /** Every run transition (start, park, finish, re-attempt) goes through it. */
  lifecycle: RunLifecycle;
  /** Live output and step events are published here; status events by the lifecycle. */
  events: EventBus;
  /** Cancels announced on the bus abort the run they name (one subscription per process). */
  cancels: CancelWatcher;
  limiter: WorkflowLimiter;
  catalog: NodeCatalog;
  logger: Logger;
  clock: Clock;
  random: Random;
  http?: HttpClient | undefined;
  services?: Partial<NodeServices> | undefined;
  metrics: RunnerMetrics;
  /** Wait before a run over its workflow's cap asks again (ms). */
  workflowConcurrencyPollMs: number;
  /** Wait before retrying a job whose run could not be loaded or finished (store down) (ms). */
  storeRetryMs: number;
  /** Minimum gap between store checks for a missed cancel, taken before a step starts (ms). */
  cancelPollMs: number;
  /** Signed approval links (approvalLinkKey of the instance secret); absent = no links. */
  approvalLinkKey?: Buffer | undefined;
  /** Public base URL of the gateway (approval links, error-handler payload links). */
  publicBaseUrl?: string | undefined;
}

const DONE: JobOutcome = { type: 'done' };
const limiterKey = (run: Pick<Run, 'workspaceId' | 'workflowId'>) => `${run.workspaceId}:${run.workflowId}`;
const errorOf = (err: unknown, fallback: string): SerializedError => {
  const e = err as { code?: unknown; message?: unknown } | null;
  return { code: typeof e?.code === 'string' ? e.code : fallback, message: typeof e?.message === 'string' ? e.message : String(err) };
};

/**
 * Turns one queue job into recorded progress of its run. See README "Run lifecycle" for the decisions:
 * terminal runs are skipped; the workflow cap is a lease per run; store failures re-attempt the run per
 * `settings.retryPolicy` (attempt recorded); node failures fail the run; parks re-enqueue a delayed job.
 */
export function createRunJobHandler(deps: RunJobHandlerDeps): JobHandler {
  const { store, lifecycle, events, limiter, logger, clock, metrics } = deps;
  const versions = createVersionCache(store);
  const workspaceAi = createWorkspaceAiLoader(store, clock);

  /** Writes the terminal status once; never overwrites one. A failure first starts the error workflow (once). */
  async function finish(run: Run, input: FinishRunInput, version?: WorkflowVersion): Promise<JobOutcome> {
    if (input.status === 'failed' && version !== undefined) await startErrorHandler({ store, lifecycle, logger, publicBaseUrl: deps.publicBaseUrl }, run, version, input.error);
    if (await lifecycle.finish(run, input)) metrics.runsFinished.inc({ status: input.status });
    return DONE;
  }

  /** An operational failure escaped the engine: another attempt of the whole run, per the retry policy. */
  async function reattempt(run: Run, version: WorkflowVersion, attempt: number, err: unknown): Promise<JobOutcome> {
    const policy = version.settings.retryPolicy;
    const error = errorOf(err, ErrorCode.UNAVAILABLE);
    if (attempt > policy.maxRetries) {
      logger.warn({ runId: run.id, attempt, err }, 'run failed operationally; retries exhausted');
      return finish(run, { status: 'failed', error: { ...error, retriable: false } }, version);
    }
    const delayMs = computeBackoff(policy, attempt, deps.random);
    logger.warn({ runId: run.id, attempt, delayMs, err }, 'run failed operationally; re-attempting');
    await lifecycle.reattempt(run, attempt, delayMs);
    return DONE;
  }

  async function afterEngine(run: Run, result: ExecutionResult, cancelled: boolean, version: WorkflowVersion): Promise<JobOutcome> {
    switch (result.status) {
      case 'parked': {
        const resumeAt = result.resumeAt ?? clock.now();
        if (result.waitingFor === undefined) await lifecycle.park(run, resumeAt);
        else {
          await lifecycle.wait(run, { signal: result.waitingFor, deadline: resumeAt });
          // A child that ended before its parent began waiting could not signal it: deliver its result now.
          await settleEarlyChild(store, lifecycle, run, result.waitingFor);
        }
        return DONE;
      }
      case 'cancelled': {
        if (cancelled) return finish(run, { status: 'cancelled', error: result.error ?? { code: ErrorCode.RUN_CANCELLED, message: 'The run was cancelled.' }, usage: result.usage });
        // Aborted by the queue (shutdown past grace, or a queue-level cancel): the store decides.
        const now = await store.runs.getRun(run.workspaceId, run.id);
        return now && isTerminalRunStatus(now.status) ? DONE : { type: 'retry', delayMs: 0 };
      }
      default: {
        const input: FinishRunInput = { status: result.status, usage: result.usage };
        if (result.error) input.error = result.error;
        if (result.output !== undefined) input.output = result.output;
        if (result.response !== undefined) input.response = result.response;
        return finish(run, input, version);
      }
    }
  }

  async function execute(job: JobContext, queued: Run, { version, workflow }: CachedVersion): Promise<JobOutcome> {
    // Without the bus (down or slow) the run goes on; the store check before each step still sees a cancel.
    const cancel = deps.cancels.watch(queued.id);
    try {
      const run = await lifecycle.begin(job.job, queued);
      if (!run) return DONE; // cancelled (or finished) meanwhile
      if (queued.status === 'queued') metrics.runsStarted.inc();
      const { attempt } = run;
      let lastCheck = clock.now();
      const recorder = createStepRecorder({
        store, events, logger, metrics, run,
        // A cancel event may be lost (pub/sub is best effort): look at the store now and then, between steps.
        beforeStep: async () => {
          if (cancel.signal.aborted || clock.now() - lastCheck < deps.cancelPollMs) return;
          lastCheck = clock.now();
          const current = await store.runs.getRun(run.workspaceId, run.id).catch(() => null);
          if (current?.status === 'cancelled') cancel.abort();
        },
      });
      // Instance defaults, then what the workspace set (its price overrides; content tracing if it opted in).
      const ai = { ...(deps.services?.['ai'] as Record<string, unknown> | undefined), ...(await workspaceAi(run.workspaceId)) };
      // A run woken by a signal (approval, event, child run): its payload is read from the run, not the job.
      const resumeSignal = await resumeSignalOf(store, run);
      metrics.activeRuns.inc();
      let result: ExecutionResult;
      try {
        result = await executeWorkflow({
          workflow,
          runId: run.id,
          trigger: { ...(run.triggeredBy.triggerId !== undefined ? { triggerId: run.triggeredBy.triggerId } : {}), type: run.triggeredBy.type, payload: run.triggeredBy.payload },
          catalog: deps.catalog,
          recordedSteps: run.steps.map(toEngineStep),
          hooks: withStepTracing(recorder.hooks),
          services: {
            ...createNodeServices(store, run.workspaceId, deps.http, { ...deps.services, ai, liveOutput: createLiveOutput(events, logger, run) }),
            composition: createCompositionServices({ store, lifecycle, linkKey: deps.approvalLinkKey, publicBaseUrl: deps.publicBaseUrl }, run),
          },
          ...(resumeSignal === undefined ? {} : { resumeSignal }),
          clock,
          random: deps.random,
          log: logger.child({ runId: run.id }),
          signal: AbortSignal.any([job.signal, cancel.signal]),
          startedAt: run.startedAt ? Date.parse(run.startedAt) : clock.now(),
        });
      } catch (err) {
        return reattempt(run, version, attempt, err);
      } finally {
        metrics.activeRuns.dec();
      }
      markRunStatus(result.status);
      if (recorder.failure !== undefined) return reattempt(run, version, attempt, recorder.failure);
      return afterEngine(run, result, cancel.signal.aborted, version);
    } finally {
      cancel.release();
    }
  }

  async function handle(job: JobContext): Promise<JobOutcome> {
    const { workspaceId, runId } = job.job;
    const run = await store.runs.getRun(workspaceId, runId);
    if (!run) {
      logger.warn({ runId, jobId: job.jobId }, 'job points at no run; dropped');
      return DONE;
    }
    if (isTerminalRunStatus(run.status)) {
      await limiter.release(limiterKey(run), runId).catch(() => undefined); // give up a place in line
      return DONE;
    }
    if (!lifecycle.drives(job.job, run)) return DONE; // a stale job of a parked or waiting run
    // A test run (editor test loop) executes the draft, never cached: it changes between test runs.
    const loaded = run.triggeredBy.test ? await loadTestVersion(store, run) : await versions.get(workspaceId, run.workflowId, run.workflowVersion);
    if (!loaded || 'missing' in loaded) return finish(run, { status: 'failed', error: { code: ErrorCode.NOT_FOUND, message: loaded ? loaded.missing : `Workflow version ${run.workflowVersion} of ${run.workflowId} not found.` } });
    const cached = loaded;
    const key = limiterKey(run);
    if (!(await limiter.tryAcquire(key, runId, cached.version.settings.concurrency, Date.parse(run.queuedAt)))) return { type: 'retry', delayMs: deps.workflowConcurrencyPollMs };
    try {
      return await traceRunAttempt(job, run, () => execute(job, run, cached));
    } finally {
      await limiter.release(key, runId).catch((err: unknown) => logger.warn({ err, runId }, 'workflow slot not released; its lease will expire'));
    }
  }

  return async (job) => {
    try {
      return await handle(job);
    } catch (err) {
      // The store (or queue) failed outside the engine: the same job again shortly; nothing was lost.
      logger.warn({ err, runId: job.job.runId, jobId: job.jobId }, 'run job could not proceed; retrying');
      return { type: 'retry', delayMs: deps.storeRetryMs };
    }
  };
}
