/** Graph + trigger validation before a workflow may be (or stay) active. */
import { validateWorkflow, type NodeCatalog } from '@outrun/engine';
import { ErrorCode, UserError, type WorkflowInput } from '@outrun/schemas';
import type { Connector } from '@outrun/connector-kit';
import { eventSourceProblems } from './event-source-problems';

/** @throws UserError(WORKFLOW_INVALID, 422) listing every problem with its path. */
export function assertRunnable(workflow: WorkflowInput, catalog: NodeCatalog, connectors?: readonly Connector[]): void {
  const problems = [...validateWorkflow(workflow, catalog), ...eventSourceProblems(workflow, connectors)];
  if (problems.length === 0) return;
  throw new UserError(ErrorCode.WORKFLOW_INVALID, `The workflow has ${problems.length} problem(s).`, 422, {
    details: problems.map((p) => ({ path: p.path, message: p.message, code: p.code })),
  });
}
