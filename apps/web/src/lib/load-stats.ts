import { ApiError, type Api, type WorkflowStatsView } from './api';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One call, retried once after `Retry-After` when the gateway rate-limits (429) or is briefly unavailable (503). */
export async function withOneRetry<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 429 && e.status !== 503)) throw e;
    await wait(Math.min((e.retryAfterSeconds ?? 1) * 1000, 5000));
    return call();
  }
}

/** Stats per workflow, fetched 4 at a time so a long list does not flood the gateway. Failures are skipped. */
export async function loadWorkflowStats(api: Api, ids: string[], days = 30): Promise<Record<string, WorkflowStatsView>> {
  const result: Record<string, WorkflowStatsView> = {};
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        result[id] = await withOneRetry(() => api.workflowStats(id, days));
      } catch {
        // the caller falls back to the workflow's own counters
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return result;
}
