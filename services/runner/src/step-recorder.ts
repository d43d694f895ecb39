import type { EngineStep, ExecutionHooks } from '@outrun/engine';
import type { Logger } from '@outrun/config';
import type { EventBus } from '@outrun/queue';
import type { Run } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { publishRunEvent } from './run-events';
import type { RunnerMetrics } from './runner-metrics';
import { toStepFinish, toStepStart } from './step-mapping';

export interface StepRecorder {
  hooks: ExecutionHooks;
  /** Set when a hook could not record a step (store down): the run must be re-attempted, not failed. */
  readonly failure: unknown;
}

export interface StepRecorderDeps {
  store: Store;
  events: EventBus;
  logger: Logger;
  metrics: RunnerMetrics;
  run: Pick<Run, 'id' | 'workspaceId' | 'workflowId'>;
  /** Called before each step starts (the runner checks for a cancel it may have missed). */
  beforeStep?: () => Promise<void>;
}

/**
 * The engine hooks of one run: each step start and finish is written to the store as it happens (awaited, so
 * a step is durable before the next begins) and published for live views (not awaited).
 */
export function createStepRecorder(deps: StepRecorderDeps): StepRecorder {
  const { store, events, logger, metrics, run } = deps;
  let failure: unknown;
  const publish = (step: EngineStep, at: number) =>
    publishRunEvent(events, logger, {
      type: 'step',
      workspaceId: run.workspaceId,
      workflowId: run.workflowId,
      runId: run.id,
      nodeId: step.nodeId,
      status: step.status,
      at: new Date(at).toISOString(),
    });
  const guard = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      failure ??= err;
      throw err;
    }
  };
  return {
    get failure() {
      return failure;
    },
    hooks: {
      onStepStart: (step) =>
        guard(async () => {
          await deps.beforeStep?.();
          await store.runs.recordStepStart(run.workspaceId, run.id, toStepStart(step));
          publish(step, step.startedAt);
        }),
      onStepFinish: (step) =>
        guard(async () => {
          await store.runs.recordStepFinish(run.workspaceId, run.id, toStepFinish(step));
          if (step.status !== 'skipped') metrics.stepDuration.observe({ node_type: step.nodeType, status: step.status }, (step.duration ?? 0) / 1000);
          publish(step, step.finishedAt ?? step.startedAt);
        }),
    },
  };
}
