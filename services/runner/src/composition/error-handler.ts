/**
 * Error handlers: when a run fails (after its retries), the workflow named by `settings.errorWorkflowId` starts
 * with what failed. Exactly once per failed run, even across crashes: the handler run is accepted BEFORE the
 * failure is written, under the idempotency key `error-handler:<runId>`; a crash in between leaves the run
 * unfinished, it is driven again, fails again, and the same key answers with the handler run already accepted.
 * A run started as an error handler never starts one itself (no loops), and a workflow is not its own handler.
 */
import type { Logger } from '@outrun/config';
import type { RunLifecycle } from '@outrun/queue';
import type { Run, SerializedError, WorkflowVersion } from '@outrun/schemas';
import type { Store } from '@outrun/store';

export const ERROR_HANDLER_SOURCE = 'error-handler:';

export async function startErrorHandler(
  deps: { store: Store; lifecycle: RunLifecycle; logger: Logger; publicBaseUrl?: string | undefined },
  run: Run,
  version: Pick<WorkflowVersion, 'settings' | 'name'>,
  error: SerializedError | undefined,
): Promise<void> {
  const handlerId = version.settings.errorWorkflowId;
  if (handlerId === undefined || handlerId === run.workflowId || run.triggeredBy.source.startsWith(ERROR_HANDLER_SOURCE)) return;
  const handler = await deps.store.workflows.getWorkflow(run.workspaceId, handlerId);
  if (!handler || handler.status === 'archived') {
    deps.logger.warn({ runId: run.id, errorWorkflowId: handlerId }, 'error workflow missing or archived; not started');
    return;
  }
  const base = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
  const triggerId = (handler.triggers.find((t) => t.type === 'manual') ?? handler.triggers[0])?.id;
  await deps.lifecycle.accept(run.workspaceId, {
    workflowId: handler.id,
    workflowVersion: handler.version,
    triggeredBy: {
      type: 'manual',
      source: `${ERROR_HANDLER_SOURCE}${run.id}`,
      ...(triggerId === undefined ? {} : { triggerId }),
      payload: {
        failedRun: {
          id: run.id,
          workflowId: run.workflowId,
          workflowName: version.name,
          workflowVersion: run.workflowVersion,
          failedNodeId: error?.nodeId ?? null,
          error: error ? { code: error.code, message: error.message } : null,
          url: `${base}/api/workspaces/${encodeURIComponent(run.workspaceId)}/runs/${encodeURIComponent(run.id)}`,
        },
      },
    },
    idempotencyKey: `${ERROR_HANDLER_SOURCE}${run.id}`,
  });
}
