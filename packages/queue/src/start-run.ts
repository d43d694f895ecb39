import { ErrorCode, OperationalError, type Run } from '@outrun/schemas';
import type { CreateRunInput, RunStore } from '@outrun/store';
import { resumeJobId } from './job-ids';
import { acceptSpanAttributes, jobTraceOf, withJobTrace } from './trace-job';
import type { EnqueueItem, EventBus, RunQueue } from './ports';

/** Live-view channels on the EventBus. */
export const runChannel = (runId: string) => `run:${runId}`;
export const workspaceChannel = (workspaceId: string) => `ws:${workspaceId}`;
/** Where a credential's change is announced (`{workspaceId, credentialId}`): listeners drop cached secrets at once. */
export const CREDENTIALS_CHANNEL = 'credentials';

export interface StartRunDeps {
  runs: RunStore;
  queue: RunQueue;
  events?: EventBus;
  /** Epoch ms now (is a `notBefore` still ahead?). @default Date.now */
  now?: () => number;
}

/**
 * Accepts one event as a run: records it (`queued`, idempotent on `idempotencyKey`), then enqueues
 * `{workspaceId, runId}` with the run id as job id. Shared by the listener (webhooks, schedules, data changes)
 * and the API ("run now", retry).
 *
 * Accepted means durably recorded AND queued: if the queue refuses, the fresh run is discarded (its idempotency
 * key released) and OperationalError(QUEUE_UNAVAILABLE) is thrown, so the caller answers 503 having accepted nothing.
 * A duplicate (`created: false`) is returned as is and starts nothing.
 */
export async function startRun(deps: StartRunDeps, workspaceId: string, input: CreateRunInput): Promise<{ run: Run; created: boolean }> {
  const { run, created } = await deps.runs.createRun(workspaceId, input);
  if (!created) return { run, created };
  try {
    await withJobTrace(acceptSpanAttributes(run), (trace) => deps.queue.enqueue({ workspaceId, runId: run.id, ...trace }));
  } catch (cause) {
    await deps.runs.discardRun(workspaceId, run.id).catch(() => undefined);
    throw new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The run queue is unavailable; nothing was accepted.', { cause });
  }
  if (deps.events) await publishQueuedEvents(deps.events, run);
  return { run, created };
}

/** One event of a `startRuns` batch. */
export interface StartRunItem {
  workspaceId: string;
  input: CreateRunInput;
  /**
   * Epoch ms the run must not start before (a schedule staged ahead of its occurrence). When in the future, the
   * run is recorded with that `resumeAt` and its job is delayed until then under its resume job id.
   */
  notBefore?: number;
}

/**
 * `startRun` for a batch (e.g. schedules due in the same tick): records every run, then enqueues the fresh ones
 * in one `enqueueMany` round trip (one `enqueue` each when the adapter has no batch method). Results are in
 * input order; duplicates (`created: false`) start nothing. Items with a future `notBefore` are staged: recorded
 * now, runnable from then.
 *
 * All or nothing: if recording any run or the enqueue fails, every run created by this call is discarded (its
 * idempotency key released) and the error is thrown — OperationalError(QUEUE_UNAVAILABLE) for the queue.
 */
export async function startRuns(deps: StartRunDeps, items: readonly StartRunItem[]): Promise<Array<{ run: Run; created: boolean }>> {
  const now = (deps.now ?? Date.now)();
  const staged = items.map((item) => (item.notBefore !== undefined && item.notBefore > now ? item.notBefore : undefined));
  const settled = await Promise.allSettled(
    items.map((item, i) => {
      const notBefore = staged[i];
      return deps.runs.createRun(item.workspaceId, notBefore === undefined ? item.input : { ...item.input, resumeAt: new Date(notBefore).toISOString() });
    }),
  );
  const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const fresh = results.filter((r) => r.created).map((r) => r.run);
  const discardFresh = () => Promise.all(fresh.map((run) => deps.runs.discardRun(run.workspaceId, run.id).catch(() => undefined)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await discardFresh();
    throw failed.reason;
  }
  try {
    const jobs = fresh.map((run): EnqueueItem => {
      const job = { workspaceId: run.workspaceId, runId: run.id, ...jobTraceOf(run) };
      const notBefore = run.resumeAt === undefined ? undefined : Date.parse(run.resumeAt);
      // A staged run starts only from its resume job (the runner drops any other job of a run with resumeAt).
      return notBefore === undefined ? { job } : { job, options: { jobId: resumeJobId(run.id, notBefore), runAt: notBefore } };
    });
    if (deps.queue.enqueueMany) await deps.queue.enqueueMany(jobs);
    else await Promise.all(jobs.map(({ job, options }) => deps.queue.enqueue(job, options)));
  } catch (cause) {
    await discardFresh();
    throw new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The run queue is unavailable; nothing was accepted.', { cause });
  }
  const { events } = deps;
  if (events) await Promise.all(fresh.map((run) => publishQueuedEvents(events, run)));
  return results;
}

/** Best effort live-view events of a fresh run; the run is already durable. */
async function publishQueuedEvents(events: EventBus, run: Run): Promise<void> {
  const event = { type: 'status', workspaceId: run.workspaceId, workflowId: run.workflowId, runId: run.id, status: 'queued', at: run.queuedAt };
  await Promise.all([events.publish(runChannel(run.id), event), events.publish(workspaceChannel(run.workspaceId), event)]).catch(() => undefined);
}
