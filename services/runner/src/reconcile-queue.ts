import type { Logger } from '@outrun/config';
import { resumeJobId, retryJobId, type RunQueue } from '@outrun/queue';
import { isTerminalRunStatus } from '@outrun/schemas';
import type { Store } from '@outrun/store';

/**
 * Puts back the job of every unfinished run that has none: Redis may lose its data (a restart without
 * persistence, a failover), but the store still knows which runs are queued or running. A run "has a job"
 * when any id it can currently be driven by is pending: its run id, its current or next retry attempt,
 * or its resume time. Safe against races: enqueue dedupes by id and the runner skips terminal runs.
 * @returns how many runs were re-enqueued.
 */
export async function reconcileQueue(store: Store, queue: RunQueue, logger: Logger, limit = 10_000): Promise<number> {
  const exists = queue.exists?.bind(queue);
  if (!exists) return 0;
  let restored = 0;
  for (const { workspaceId, runId } of await store.runs.listUnfinishedRuns(limit)) {
    if (await exists(runId)) continue;
    const run = await store.runs.getRun(workspaceId, runId);
    if (!run || isTerminalRunStatus(run.status)) continue;
    const resumeAt = run.resumeAt === undefined ? undefined : Date.parse(run.resumeAt);
    const candidates = [retryJobId(runId, run.attempt), retryJobId(runId, run.attempt + 1), ...(resumeAt === undefined ? [] : [resumeJobId(runId, resumeAt)])];
    let pending = false;
    for (const id of candidates) if ((pending = await exists(id))) break;
    if (pending) continue;
    const job = { workspaceId, runId };
    if (resumeAt === undefined) await queue.enqueue(job);
    else await queue.enqueue(job, { jobId: resumeJobId(runId, resumeAt), delayMs: Math.max(0, resumeAt - Date.now()) });
    restored += 1;
  }
  if (restored > 0) logger.warn({ restored }, 're-enqueued unfinished runs that had lost their queue job');
  return restored;
}
