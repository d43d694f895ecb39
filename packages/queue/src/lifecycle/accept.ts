/** Accept: an event becomes a durably recorded `queued` run plus the job that starts it. */
import { ErrorCode, OperationalError, type Clock, type Run } from '@outrun/schemas';
import type { CreateRunInput, RunStore } from '@outrun/store';
import type { EnqueueItem, RunQueue } from '../ports';
import { resumeJob, startJob } from '../run-job';
import { acceptSpanAttributes, jobTraceOf, withJobTrace } from '../trace-job';

export interface AcceptDeps {
  runs: RunStore;
  queue: RunQueue;
  clock: Pick<Clock, 'now'>;
}

/** One event of an `acceptMany` batch. */
export interface AcceptItem {
  workspaceId: string;
  input: CreateRunInput;
  /**
   * Epoch ms the run must not start before (a schedule staged ahead of its occurrence). When in the future, the
   * run is recorded with that `resumeAt` and only its resume job, delayed until then, starts it.
   */
  notBefore?: number;
}

const unavailable = (cause: unknown) => new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The run queue is unavailable; nothing was accepted.', { cause });

/**
 * Records one run (`queued`, idempotent on `idempotencyKey`), then enqueues its start job. Accepted means durably
 * recorded AND queued: if the queue refuses, the fresh run is discarded (its idempotency key released) and
 * OperationalError(QUEUE_UNAVAILABLE) is thrown, so the caller answers 503 having accepted nothing.
 * A duplicate (`created: false`) is returned as is and starts nothing.
 */
export async function acceptOne(deps: AcceptDeps, workspaceId: string, input: CreateRunInput): Promise<{ run: Run; created: boolean }> {
  const { run, created } = await deps.runs.createRun(workspaceId, input);
  if (!created) return { run, created };
  try {
    // Inside a `run.queued` span when tracing is on: its context travels in the job to the runner.
    await withJobTrace(acceptSpanAttributes(run), (trace) => deps.queue.enqueue(startJob({ workspaceId, runId: run.id, ...trace })));
  } catch (cause) {
    await deps.runs.discardRun(workspaceId, run.id).catch(() => undefined);
    throw unavailable(cause);
  }
  return { run, created };
}

/**
 * `acceptOne` for a batch (schedules due in the same tick): records every run, then enqueues the fresh ones in
 * one `enqueueMany` round trip (one `enqueue` each when the adapter has no batch method). Results are in input
 * order; duplicates start nothing; items with a future `notBefore` are staged (recorded now, runnable from then).
 *
 * All or nothing: if recording any run or the enqueue fails, every run created by this call is discarded (its
 * idempotency key released) and the error is thrown — OperationalError(QUEUE_UNAVAILABLE) for the queue.
 */
export async function acceptMany(deps: AcceptDeps, items: readonly AcceptItem[]): Promise<Array<{ run: Run; created: boolean }>> {
  const now = deps.clock.now();
  const settled = await Promise.allSettled(
    items.map((item) => {
      const staged = item.notBefore !== undefined && item.notBefore > now;
      return deps.runs.createRun(item.workspaceId, staged ? { ...item.input, resumeAt: new Date(item.notBefore!).toISOString() } : item.input);
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
      const ref = { workspaceId: run.workspaceId, runId: run.id, ...jobTraceOf(run) };
      if (run.resumeAt === undefined) return { job: startJob(ref) };
      // A staged run starts only from its resume job (the lifecycle drops any other job of a run with resumeAt).
      const notBefore = Date.parse(run.resumeAt);
      return { job: resumeJob(ref, notBefore), options: { runAt: notBefore } };
    });
    if (deps.queue.enqueueMany) await deps.queue.enqueueMany(jobs);
    else await Promise.all(jobs.map(({ job, options }) => deps.queue.enqueue(job, options)));
  } catch (cause) {
    await discardFresh();
    throw unavailable(cause);
  }
  return results;
}
