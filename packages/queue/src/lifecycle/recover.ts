/** Recover: put back the job of unfinished runs after the queue forgot them. */
import { isTerminalRunStatus, type Clock } from '@outrun/schemas';
import type { RunStore } from '@outrun/store';
import type { RunQueue } from '../ports';
import { jobIdOf, resumeJob, retryJob, startJob } from '../run-job';

/** The job that drives an unfinished run from where the store says it is: its resume job when parked, else a start. */
function currentJob(run: { workspaceId: string; runId: string; resumeAt?: string | undefined }, now: number) {
  const resumeAt = run.resumeAt === undefined ? Number.NaN : Date.parse(run.resumeAt);
  // A parked run continues only from its own resume job (even when that time has passed).
  if (Number.isFinite(resumeAt)) return { job: resumeJob(run, resumeAt), options: { delayMs: Math.max(0, resumeAt - now) } };
  return { job: startJob(run), options: {} };
}

/**
 * Embedded-mode start-up: the in-process queue forgets everything on exit, so every run the store still holds as
 * `queued` or `running` is enqueued again (a parked run with its remaining delay). Safe to call more than once:
 * job ids dedupe, and the lifecycle skips runs that are already terminal. @returns how many runs were re-enqueued.
 */
export async function recoverAll(runs: Pick<RunStore, 'listUnfinishedRuns'>, queue: RunQueue, clock: Pick<Clock, 'now'>): Promise<number> {
  const unfinished = await runs.listUnfinishedRuns(1_000_000);
  for (const run of unfinished) {
    const { job, options } = currentJob(run, clock.now());
    await queue.enqueue(job, options);
  }
  return unfinished.length;
}

/**
 * Distributed mode: puts back the job of every unfinished run that has none (Redis may lose its data on a restart
 * without persistence or a failover; the store still knows which runs are queued or running). A run "has a job"
 * when any job that can currently drive it is pending: its start, its current or next retry attempt, or its
 * resume. Safe against races: enqueue dedupes by id and the lifecycle skips terminal runs.
 * @returns how many runs were re-enqueued (0 when the queue cannot tell whether a job exists).
 */
export async function recoverLost(runs: RunStore, queue: RunQueue, clock: Pick<Clock, 'now'>, limit: number): Promise<number> {
  const exists = queue.exists?.bind(queue);
  if (!exists) return 0;
  let restored = 0;
  for (const ref of await runs.listUnfinishedRuns(limit)) {
    if (await exists(jobIdOf(startJob(ref)))) continue;
    const run = await runs.getRun(ref.workspaceId, ref.runId);
    if (!run || isTerminalRunStatus(run.status)) continue;
    const current = currentJob({ ...ref, resumeAt: run.resumeAt }, clock.now());
    const candidates = [...(run.attempt >= 2 ? [retryJob(ref, run.attempt)] : []), retryJob(ref, run.attempt + 1), ...(current.job.kind === 'resume' ? [current.job] : [])];
    let pending = false;
    for (const job of candidates) if ((pending = await exists(jobIdOf(job)))) break;
    if (pending) continue;
    await queue.enqueue(current.job, current.options);
    restored += 1;
  }
  return restored;
}
