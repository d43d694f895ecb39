import type { Workflow, WorkflowInput, WorkflowStats, WorkflowStatus, WorkflowVersion } from '@outrun/schemas';
import { compact } from './errors';

/** The stored body of a workflow or version: exactly the fields of {@link WorkflowInput}. */
export function workflowBody(input: WorkflowInput): WorkflowInput {
  return compact({
    name: input.name,
    description: input.description,
    nodes: input.nodes,
    edges: input.edges,
    triggers: input.triggers,
    settings: input.settings,
    tags: input.tags,
  });
}

/** Assembles a workflow from its stored body and metadata. */
export function toWorkflow(
  body: WorkflowInput,
  meta: { id: string; workspaceId: string; status: WorkflowStatus; version: number; stats: WorkflowStats; createdAt: string; updatedAt: string },
): Workflow {
  return { ...workflowBody(body), ...meta };
}

/** Assembles an immutable version from its stored body. */
export function toWorkflowVersion(body: WorkflowInput, meta: { workflowId: string; workspaceId: string; version: number; message?: string | null; createdAt: string }): WorkflowVersion {
  return {
    ...(meta.message == null ? {} : { message: meta.message }),
    workflowId: meta.workflowId,
    workspaceId: meta.workspaceId,
    version: meta.version,
    name: body.name,
    nodes: body.nodes,
    edges: body.edges,
    triggers: body.triggers,
    settings: body.settings,
    createdAt: meta.createdAt,
  };
}

/** Running mean after adding one duration to `count` earlier ones. */
export function nextMean(mean: number, count: number, value: number): number {
  return mean + (value - mean) / (count + 1);
}
