import type { RunStore } from '@outrun/store';
import { resumeJobId } from './job-ids';
import type { RunQueue } from './ports';

/**
 * Embedded-mode start-up recovery: the in-process queue forgets everything on exit, so every run the store
 * still holds as `queued` or `running` is enqueued again (a parked run with its remaining delay).
 * Safe to call more than once: job ids dedupe, and the runner skips runs that are already terminal.
 * @returns how many runs were re-enqueued.
 */
export async function recoverUnfinishedRuns(store: { runs: Pick<RunStore, 'listUnfinishedRuns'> }, queue: RunQueue, now: () => number = Date.now): Promise<number> {
  const unfinished = await store.runs.listUnfinishedRuns(1_000_000);
  for (const run of unfinished) {
    const job = { workspaceId: run.workspaceId, runId: run.runId };
    const resumeAt = run.resumeAt === undefined ? Number.NaN : Date.parse(run.resumeAt);
    if (Number.isFinite(resumeAt)) {
      // A parked run continues only from its own resume job (even when that time has passed).
      await queue.enqueue(job, { jobId: resumeJobId(run.runId, resumeAt), delayMs: Math.max(0, resumeAt - now()) });
    } else {
      await queue.enqueue(job);
    }
  }
  return unfinished.length;
}
