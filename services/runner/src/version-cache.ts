import type { ExecuteWorkflowOptions } from '@outrun/engine';
import type { WorkflowVersion } from '@outrun/schemas';
import type { Store } from '@outrun/store';

export interface CachedVersion {
  version: WorkflowVersion;
  /** The version in the engine's shape (computed once). */
  workflow: ExecuteWorkflowOptions['workflow'];
}

/** The stored version in the shape `executeWorkflow` takes (optional fields dropped rather than `undefined`). */
export function toEngineWorkflow(v: WorkflowVersion): ExecuteWorkflowOptions['workflow'] {
  const s = v.settings;
  const settings: ExecuteWorkflowOptions['workflow']['settings'] = { timeout: s.timeout, retryPolicy: s.retryPolicy, branchConcurrency: s.branchConcurrency };
  if (s.maxCostPerRun !== undefined) settings.maxCostPerRun = s.maxCostPerRun;
  if (s.maxTokensPerRun !== undefined) settings.maxTokensPerRun = s.maxTokensPerRun;
  return {
    id: v.workflowId,
    workspaceId: v.workspaceId,
    nodes: v.nodes,
    edges: v.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null, targetHandle: e.targetHandle ?? null })),
    settings,
  };
}

/** Versions are immutable, so a small in-process cache saves one store read (and one conversion) per run. */
export function createVersionCache(store: Store, max = 500): { get(workspaceId: string, workflowId: string, version: number): Promise<CachedVersion | null> } {
  const cache = new Map<string, CachedVersion>();
  return {
    async get(workspaceId, workflowId, version) {
      const key = `${workspaceId}\u0000${workflowId}\u0000${version}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const loaded = await store.workflows.getWorkflowVersion(workspaceId, workflowId, version);
      if (!loaded) return null;
      const entry = { version: loaded, workflow: toEngineWorkflow(loaded) };
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(key, entry);
      return entry;
    },
  };
}
