import { createFakeClock, type FakeClock, type JsonValue } from '@outrun/schemas';
import { seededRandom } from '../clock/system-clock';
import { executeWorkflow } from '../run/execute-workflow';
import type { EngineStep, ExecuteWorkflowOptions, ExecutionResult, NodeCatalog } from '../types';

export interface RunGraphOptions extends Partial<Omit<ExecuteWorkflowOptions, 'workflow' | 'catalog'>> {
  payload?: JsonValue;
  triggerId?: string;
}

export interface RunGraphResult extends ExecutionResult {
  /** Every hook call in order: `start:<id>#<attempt>` / `<status>:<id>#<attempt>`. */
  events: string[];
  /** Every onStepFinish step in order (what a runner would record). */
  steps: EngineStep[];
  clock: FakeClock;
}

/**
 * Executes a workflow with a fake auto-advancing clock and seeded jitter, recording every hook call.
 * For engine, node and runner tests that do not need real time.
 */
export async function runGraph(workflow: ExecuteWorkflowOptions['workflow'], catalog: NodeCatalog, options: RunGraphOptions = {}): Promise<RunGraphResult> {
  const clock = (options.clock as FakeClock | undefined) ?? createFakeClock({ autoAdvance: true });
  const events: string[] = [];
  const steps: EngineStep[] = [];
  const { payload, triggerId, ...rest } = options;
  const trigger: ExecuteWorkflowOptions['trigger'] = { type: 'manual', payload: payload ?? { hello: 'world' } };
  if (triggerId !== undefined) trigger.triggerId = triggerId;
  const result = await executeWorkflow({
    runId: 'run-1',
    trigger,
    random: seededRandom(42),
    ...rest,
    clock,
    workflow,
    catalog,
    hooks: {
      onStepStart: async (s) => {
        events.push(`start:${s.nodeId}#${s.attempt}`);
        await options.hooks?.onStepStart?.(s);
      },
      onStepFinish: async (s) => {
        events.push(`${s.status}:${s.nodeId}#${s.attempt}`);
        steps.push(s);
        await options.hooks?.onStepFinish?.(s);
      },
    },
  });
  return { ...result, events, steps, clock };
}
