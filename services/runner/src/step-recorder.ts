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
 * The engine hooks of one run: each step start and finish is written to the store (the finish awaited, so a
 * completed step is durable before the next step begins) and published for live views (not awaited).
 *
 * Start and finish of a first attempt share one write when the step finishes within the tick it started (set,
 * condition, trigger, …): the start is held until `setImmediate` and folded into the finish if that came first.
 * A slower step (HTTP, AI) gets its start written one tick after it began, so the node's side effect may begin
 * before its `running` row commits. That loses nothing on a crash: a step without a row re-runs at attempt 1,
 * exactly like a `running` one would, with the same Idempotency-Key. Retries (attempt > 1) write the start first.
 */
export function createStepRecorder(deps: StepRecorderDeps): StepRecorder {
  const { store, events, logger, metrics, run } = deps;
  let failure: unknown;
  /** Starts held back, by node id, until the next tick (or their finish). */
  const held = new Map<string, { step: EngineStep; timer: NodeJS.Immediate }>();
  /** Start writes in flight, by node id: the finish waits for its start (no reordering, failures surface). */
  const starting = new Map<string, Promise<void>>();
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
  const writeStart = (step: EngineStep) =>
    guard(async () => {
      await store.runs.recordStepStart(run.workspaceId, run.id, toStepStart(step));
      publish(step, step.startedAt);
    });
  const flushHeld = (nodeId: string) => {
    const entry = held.get(nodeId);
    if (!entry) return;
    held.delete(nodeId);
    // Not awaited by the engine: the failure is kept (run re-attempted) and rethrown by this step's finish.
    const write = writeStart(entry.step);
    write.catch(() => undefined);
    starting.set(nodeId, write);
  };
  return {
    get failure() {
      return failure;
    },
    hooks: {
      onStepStart: (step) =>
        guard(async () => {
          await deps.beforeStep?.();
          if (step.attempt > 1) return writeStart(step);
          held.set(step.nodeId, { step, timer: setImmediate(() => flushHeld(step.nodeId)) });
        }),
      onStepFinish: (step) =>
        guard(async () => {
          const entry = held.get(step.nodeId);
          const finish = toStepFinish(step);
          if (entry) {
            clearImmediate(entry.timer);
            held.delete(step.nodeId);
            if (entry.step.input !== undefined) finish.input = entry.step.input;
          } else {
            const write = starting.get(step.nodeId);
            starting.delete(step.nodeId);
            await write;
          }
          await store.runs.recordStepFinish(run.workspaceId, run.id, finish);
          if (entry) publish(entry.step, entry.step.startedAt); // live views still see running → finished
          if (step.status !== 'skipped') metrics.stepDuration.observe({ node_type: step.nodeType, status: step.status }, (step.duration ?? 0) / 1000);
          publish(step, step.finishedAt ?? step.startedAt);
        }),
    },
  };
}
