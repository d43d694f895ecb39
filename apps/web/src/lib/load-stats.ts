import type { Api, WorkflowStatsView } from './api';

/** Stats per workflow, fetched 4 at a time so a long list does not flood the gateway. Failures are skipped. */
export async function loadWorkflowStats(api: Api, ids: string[], days = 30): Promise<Record<string, WorkflowStatsView>> {
  const result: Record<string, WorkflowStatsView> = {};
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        result[id] = await api.workflowStats(id, days);
      } catch {
        // the caller falls back to the workflow's own counters
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return result;
}
