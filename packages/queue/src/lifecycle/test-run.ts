/**
 * Test runs (the editor's test loop, docs/editor.md): a run marked `triggeredBy.test`. Pinned outputs and the
 * outputs reused for "execute this step" are recorded as completed steps before the start job is queued, so the
 * engine's resume logic settles those nodes from the record instead of executing them (the retry path).
 */
import { ErrorCode, OperationalError, UserError, type Run, type Step, type TriggeredBy } from '@outrun/schemas';
import type { RunStore } from '@outrun/store';
import type { RunQueue } from '../ports';
import { startJob } from '../run-job';
import { seedCompletedSteps } from './retry';

export interface TestRunInput {
  workflowId: string;
  /** The live version the draft was edited from (what the run is filed under). */
  workflowVersion: number;
  triggeredBy: TriggeredBy & { test: NonNullable<TriggeredBy['test']> };
  /** Completed steps recorded before the run starts (pinned data, outputs reused from an earlier run). */
  seeded: Step[];
}

export async function acceptTestRun(deps: { runs: RunStore; queue: RunQueue }, ws: string, input: TestRunInput): Promise<Run> {
  if (input.seeded.some((s) => s.status !== 'completed')) throw new UserError(ErrorCode.VALIDATION, 'Only completed steps can be seeded.', 400);
  const { run } = await deps.runs.createRun(ws, { workflowId: input.workflowId, workflowVersion: input.workflowVersion, triggeredBy: input.triggeredBy });
  try {
    await seedCompletedSteps(deps.runs, ws, run.id, { steps: input.seeded });
    await deps.queue.enqueue(startJob({ workspaceId: ws, runId: run.id }));
  } catch (cause) {
    await deps.runs.discardRun(ws, run.id).catch(() => undefined);
    throw new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The test run could not be queued; nothing was accepted.', { cause });
  }
  return run;
}
