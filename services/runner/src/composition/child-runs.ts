/**
 * The runner's side of sub-workflows and approvals: `ctx.services.composition` for one run. Starting a child
 * checks, in order: the workflow exists and is not archived, the version, the nesting depth (default 10) and a
 * cycle (the target already runs above in this chain), and the input against the child's `settings.inputSchema`.
 */
import { checkJsonSchema, signApprovalLink, type CompositionServices } from '@outrun/nodes';
import type { RunLifecycle } from '@outrun/queue';
import { ErrorCode, NonRetriableError, type Run } from '@outrun/schemas';
import type { Store } from '@outrun/store';

/** Runs nested deeper than this (root = 0) are refused. */
export const MAX_SUBWORKFLOW_DEPTH = 10;

export interface CompositionDeps {
  store: Store;
  lifecycle: RunLifecycle;
  /** Key of the signed approval links (approvalLinkKey); absent = no links. */
  linkKey?: Buffer | undefined;
  /** Public base URL of the gateway, for absolute links. @default relative links */
  publicBaseUrl?: string | undefined;
}

/** The run and its ancestors (parent first), up to one past the depth limit. */
async function ancestry(store: Store, run: Pick<Run, 'workspaceId' | 'workflowId' | 'parentRunId'>): Promise<Array<Pick<Run, 'workflowId'>>> {
  const chain: Array<Pick<Run, 'workflowId'>> = [run];
  let parentId = run.parentRunId;
  while (parentId !== undefined && chain.length <= MAX_SUBWORKFLOW_DEPTH) {
    const parent = await store.runs.getRun(run.workspaceId, parentId);
    if (!parent) break;
    chain.push(parent);
    parentId = parent.parentRunId;
  }
  return chain;
}

export function createCompositionServices(deps: CompositionDeps, run: Pick<Run, 'id' | 'workspaceId' | 'workflowId' | 'parentRunId'>): CompositionServices {
  const { store, lifecycle } = deps;
  const ws = run.workspaceId;
  const base = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
  const services: CompositionServices = {
    async startChild(request) {
      const workflow = await store.workflows.getWorkflow(ws, request.workflowId);
      if (!workflow) throw new NonRetriableError(ErrorCode.NOT_FOUND, `Workflow ${request.workflowId} not found in this workspace.`);
      if (workflow.status === 'archived') throw new NonRetriableError(ErrorCode.CONFLICT, `Workflow ${request.workflowId} is archived.`);
      const versionNumber = request.version === 'active' ? workflow.version : request.version;
      const version = await store.workflows.getWorkflowVersion(ws, workflow.id, versionNumber);
      if (!version) throw new NonRetriableError(ErrorCode.NOT_FOUND, `Version ${versionNumber} of workflow ${workflow.id} not found.`);
      const chain = await ancestry(store, run);
      if (chain.some((r) => r.workflowId === workflow.id)) {
        throw new NonRetriableError(ErrorCode.SUBWORKFLOW_CYCLE, `Workflow ${workflow.id} is already running above this step (a workflow may not call itself, directly or through others).`);
      }
      if (chain.length > MAX_SUBWORKFLOW_DEPTH) throw new NonRetriableError(ErrorCode.SUBWORKFLOW_DEPTH, `Sub-workflows nest at most ${MAX_SUBWORKFLOW_DEPTH} deep.`);
      const schema = version.settings.inputSchema;
      if (schema !== undefined) {
        const issues = checkJsonSchema(schema, request.input, 'input');
        if (issues.length > 0) {
          throw new NonRetriableError(ErrorCode.SUBWORKFLOW_INPUT, `The input does not match workflow ${workflow.id}'s input schema: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
            details: issues,
          });
        }
      }
      const triggerId = (version.triggers.find((t) => t.type === 'manual') ?? version.triggers[0])?.id;
      const { run: child } = await lifecycle.accept(ws, {
        workflowId: workflow.id,
        workflowVersion: version.version,
        triggeredBy: { type: 'manual', source: `workflow:${run.id}/${request.stepId}`, payload: request.input, ...(triggerId === undefined ? {} : { triggerId }) },
        idempotencyKey: `child:${request.idempotencyKey}`,
        parentRunId: run.id,
        parentStepId: request.stepId,
      });
      return { runId: child.id };
    },
    async getRunResult(runId) {
      const child = await store.runs.getRun(ws, runId);
      if (!child) return null;
      const { status, output, error, usage } = child;
      return { runId, status, ...(output === undefined ? {} : { output }), ...(error === undefined ? {} : { error }), usage };
    },
  };
  const key = deps.linkKey;
  if (key !== undefined) {
    services.approvalLinks = ({ runId, stepId, expiresAt }) => {
      const link = (d: 'approve' | 'reject') => `${base}/api/approvals/${signApprovalLink(key, { ws, run: runId, step: stepId, d, exp: expiresAt })}`;
      return { approveUrl: link('approve'), rejectUrl: link('reject') };
    };
  }
  return services;
}
