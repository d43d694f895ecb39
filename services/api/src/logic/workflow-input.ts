/**
 * Server-side shaping of workflow bodies: webhook paths filled in, trigger ids kept unique per workspace
 * (the webhook URL is `/webhook/:workspaceId/:triggerId`, so two workflows must never share one).
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, TRIGGER_NODE_TYPE, UserError, type ErrorDetail, type Workflow, type WorkflowInput } from '@outrun/schemas';
import type { WorkflowStore } from '@outrun/store';

/** The public path of a webhook trigger. */
export const webhookPath = (workspaceId: string, triggerId: string): string =>
  `/webhook/${encodeURIComponent(workspaceId)}/${encodeURIComponent(triggerId)}`;

/** Sets `config.webhookUrl` of every webhook trigger to its public path (the seed's field). */
export function withWebhookPaths(workspaceId: string, input: WorkflowInput): WorkflowInput {
  const triggers = input.triggers.map((t) => (t.type === 'webhook' ? { ...t, config: { ...t.config, webhookUrl: webhookPath(workspaceId, t.id) } } : t));
  return { ...input, triggers };
}

/** The workspace-independent body of a workflow: WorkflowInput fields only, server-filled paths removed. */
export function portableBody(workflow: WorkflowInput): WorkflowInput {
  const triggers = workflow.triggers.map((t) => {
    if (t.type !== 'webhook') return t;
    const { webhookUrl: _omit, ...config } = t.config;
    return { ...t, config };
  });
  const body: WorkflowInput = { name: workflow.name, nodes: workflow.nodes, edges: workflow.edges, triggers, settings: workflow.settings };
  if (workflow.description !== undefined) body.description = workflow.description;
  if (workflow.tags !== undefined) body.tags = workflow.tags;
  return body;
}

/**
 * Which of `input`'s trigger ids the workspace's other non-archived workflows hold (trigger id → workflow id),
 * from the store's unique index: a lookup of these ids, not a scan of the workspace. The index also refuses a
 * racing save with the same 409.
 */
export async function triggerIdsInUse(workflows: WorkflowStore, workspaceId: string, input: Pick<WorkflowInput, 'triggers'>, exceptWorkflowId?: string): Promise<Map<string, string>> {
  return await workflows.triggerIdOwners(workspaceId, input.triggers.map((t) => t.id), exceptWorkflowId);
}

/** @throws UserError(CONFLICT, 409) naming each trigger whose id another workflow of the workspace uses. */
export function assertTriggerIdsFree(input: WorkflowInput, used: Map<string, string>): void {
  const details: ErrorDetail[] = [];
  input.triggers.forEach((t, i) => {
    const owner = used.get(t.id);
    if (owner !== undefined) details.push({ path: `triggers.${i}.id`, message: `trigger id "${t.id}" is already used by workflow ${owner}` });
  });
  const seen = new Set<string>();
  input.triggers.forEach((t, i) => {
    if (seen.has(t.id)) details.push({ path: `triggers.${i}.id`, message: `duplicate trigger id "${t.id}"` });
    seen.add(t.id);
  });
  if (details.length > 0) throw new UserError(ErrorCode.CONFLICT, 'Trigger ids must be unique in the workspace.', 409, { details });
}

const freshId = (base: string): string => `${base.slice(0, 150)}-${randomBytes(4).toString('hex')}`;

/**
 * Renames triggers whose id is taken (or every trigger when `all`), updating the trigger nodes that
 * point at them (`data.triggerId`). Used by import and template instantiation.
 */
export function renameTriggers(input: WorkflowInput, used: ReadonlyMap<string, string>, all = false): WorkflowInput {
  const renamed = new Map<string, string>();
  for (const t of input.triggers) if (all || used.has(t.id)) renamed.set(t.id, freshId(t.id));
  if (renamed.size === 0) return input;
  const triggers = input.triggers.map((t) => ({ ...t, id: renamed.get(t.id) ?? t.id }));
  const nodes = input.nodes.map((n) => {
    const ref = n.data.triggerId;
    if (n.type !== TRIGGER_NODE_TYPE || typeof ref !== 'string' || !renamed.has(ref)) return n;
    return { ...n, data: { ...n.data, triggerId: renamed.get(ref) ?? ref } };
  });
  return { ...input, triggers, nodes };
}

/** The body of a stored workflow as a WorkflowInput (for saving a new version of it). */
export function bodyOf(workflow: Workflow): WorkflowInput {
  const body: WorkflowInput = { name: workflow.name, nodes: workflow.nodes, edges: workflow.edges, triggers: workflow.triggers, settings: workflow.settings };
  if (workflow.description !== undefined) body.description = workflow.description;
  if (workflow.tags !== undefined) body.tags = workflow.tags;
  return body;
}
