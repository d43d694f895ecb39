/**
 * Retry (a user's): a finished run again as a new run linked by `retryOf`. From the failed step: the original's
 * completed steps are recorded on the new run before it is enqueued, so the engine's resume logic skips them and
 * reuses their outputs (the same path a redelivered job takes).
 */
import { ErrorCode, OperationalError, UserError, isTerminalRunStatus, type Run } from '@outrun/schemas';
import type { RunStore } from '@outrun/store';
import type { RunQueue } from '../ports';
import { startJob } from '../run-job';

export async function retryAsNewRun(deps: { runs: RunStore; queue: RunQueue }, original: Run, fromFailedStep: boolean): Promise<Run> {
  if (!isTerminalRunStatus(original.status)) {
    throw new UserError(ErrorCode.CONFLICT, `Only a finished run can be retried (this one is ${original.status}).`, 409);
  }
  if (fromFailedStep && original.status !== 'failed') {
    throw new UserError(ErrorCode.CONFLICT, `fromFailedStep needs a failed run (this one is ${original.status}).`, 409);
  }
  const ws = original.workspaceId;
  const { run } = await deps.runs.createRun(ws, {
    workflowId: original.workflowId,
    workflowVersion: original.workflowVersion,
    triggeredBy: original.triggeredBy,
    retryOf: original.id,
  });
  try {
    if (fromFailedStep) await seedCompletedSteps(deps.runs, ws, run.id, original);
    await deps.queue.enqueue(startJob({ workspaceId: ws, runId: run.id }));
  } catch (cause) {
    await deps.runs.discardRun(ws, run.id).catch(() => undefined);
    if (cause instanceof UserError) throw cause;
    throw new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The run could not be queued; nothing was accepted.', { cause });
  }
  return run;
}

/** Copies every completed step (latest attempt per node) of `original` onto the new run. */
export async function seedCompletedSteps(runs: RunStore, ws: string, runId: string, original: Pick<Run, 'steps'>): Promise<void> {
  for (const step of original.steps) {
    if (step.status !== 'completed') continue;
    const startInput = { nodeId: step.nodeId, nodeType: step.nodeType, attempt: step.attempt, startedAt: step.startedAt };
    await runs.recordStepStart(ws, runId, step.input === undefined ? startInput : { ...startInput, input: step.input });
    const finish = {
      nodeId: step.nodeId,
      status: step.status,
      attempt: step.attempt,
      finishedAt: step.finishedAt ?? step.startedAt,
      duration: step.duration ?? 0,
    };
    await runs.recordStepFinish(ws, runId, {
      ...finish,
      ...(step.output === undefined ? {} : { output: step.output }),
      ...(step.handle === undefined ? {} : { handle: step.handle }),
      ...(step.usage === undefined ? {} : { usage: step.usage }),
    });
  }
}
