/**
 * What a test run (editor test loop, `triggeredBy.test`) executes: the workflow's draft as it is when the run
 * starts (the live version when there is no draft). "Execute this step" (`test.step`) keeps only that node and
 * the nodes it depends on; the ones recorded before the start (pinned or reused outputs) are not executed again.
 */
import type { Run, WorkflowVersion } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { toEngineWorkflow, type CachedVersion } from './version-cache';

/** The node `step` and its ancestors, with the edges between them; null when `step` is not in the graph. */
export function upToStep(version: WorkflowVersion, step: string): WorkflowVersion | null {
  if (!version.nodes.some((n) => n.id === step)) return null;
  const keep = new Set([step]);
  const queue = [step];
  while (queue.length > 0) {
    const target = queue.pop() as string;
    for (const e of version.edges) if (e.target === target && !keep.has(e.source)) { keep.add(e.source); queue.push(e.source); }
  }
  return { ...version, nodes: version.nodes.filter((n) => keep.has(n.id)), edges: version.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}

export async function loadTestVersion(store: Store, run: Run): Promise<CachedVersion | { missing: string }> {
  const draft = await store.workflows.getWorkflowDraft(run.workspaceId, run.workflowId);
  let version: WorkflowVersion | null = draft
    ? { workflowId: draft.workflowId, workspaceId: draft.workspaceId, version: run.workflowVersion, name: draft.name, nodes: draft.nodes, edges: draft.edges, triggers: draft.triggers, settings: draft.settings, createdAt: draft.updatedAt }
    : await store.workflows.getWorkflowVersion(run.workspaceId, run.workflowId, run.workflowVersion);
  if (!version) return { missing: `Neither a draft nor version ${run.workflowVersion} of ${run.workflowId} was found.` };
  const step = run.triggeredBy.test?.step;
  if (step !== undefined) {
    version = upToStep(version, step);
    if (!version) return { missing: `The step ${step} is not in the workflow's draft.` };
  }
  return { version, workflow: toEngineWorkflow(version) };
}
