/**
 * Activation-time cycle detection for sub-workflows: follows `workflow` nodes whose `workflowId` is a literal (no
 * `{{ }}`) through the called workflows' current definitions; reaching the workflow being activated again is a
 * cycle (422 OUT_ERR_SUBWORKFLOW_CYCLE naming the node). Bounded: at most 200 workflows looked at. Ids built by
 * expressions are checked at run time, when the child would start.
 */
import { ErrorCode, UserError, type Workflow } from '@outrun/schemas';
import type { WorkflowStore } from '@outrun/store';

const MAX_VISITED = 200;

/** Literal workflow ids called by `workflow` nodes, with the node index. */
function calls(workflow: Pick<Workflow, 'nodes'>): Array<{ index: number; workflowId: string }> {
  const out: Array<{ index: number; workflowId: string }> = [];
  workflow.nodes.forEach((n, index) => {
    const id = (n.data as { workflowId?: unknown } | undefined)?.workflowId;
    if (n.type === 'workflow' && typeof id === 'string' && !id.includes('{{')) out.push({ index, workflowId: id });
  });
  return out;
}

export async function assertNoSubworkflowCycle(workflows: Pick<WorkflowStore, 'getWorkflow'>, workspaceId: string, root: Workflow): Promise<void> {
  const visited = new Set<string>([root.id]);
  for (const start of calls(root)) {
    // Depth-first from each of the root's calls; the path is reported through the root's node.
    const stack = [start.workflowId];
    while (stack.length > 0 && visited.size < MAX_VISITED) {
      const id = stack.pop() as string;
      if (id === root.id) {
        throw new UserError(ErrorCode.SUBWORKFLOW_CYCLE, `Node ${root.nodes[start.index]?.id ?? start.index} leads back to this workflow (a workflow may not call itself, directly or through others).`, 422, {
          details: [{ path: `nodes.${start.index}.data.workflowId`, message: 'calls this workflow again' }],
        });
      }
      if (visited.has(id)) continue;
      visited.add(id);
      const called = await workflows.getWorkflow(workspaceId, id);
      if (called) for (const c of calls(called)) stack.push(c.workflowId);
    }
  }
}
