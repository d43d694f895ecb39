import type { JsonValue, RunResponse } from '@outrun/schemas';
import type { ExecutionPlan } from '../plan/build-plan';
import type { RetryPolicyLike } from '../retry/should-retry';
import type { EngineStep, ExecuteWorkflowOptions, ExecutionHooks, NodeLogger, NodeServices, RunBudget } from '../types';
import type { GraphState } from './propagate-outcome';

/** What resume knows about one node from the recorded steps. */
export interface RecordedNode {
  /** `completed` / `skipped` are reused as they are; `waiting` re-runs the node with its saved state. */
  status: 'completed' | 'skipped' | 'waiting';
  output?: JsonValue;
  handle?: string;
  /** A waiting node resumes at the attempt it waited in (retries count across the wait). */
  attempt?: number;
  /** `waiting`: when the node parked (epoch ms); its resumed step keeps it, so its duration covers the wait. */
  startedAt?: number;
}

/** Everything one run shares between the loop and the step executor. */
export interface RunContext {
  options: ExecuteWorkflowOptions;
  plan: ExecutionPlan;
  state: GraphState;
  /** Outputs by node id (also `ctx.steps` and the expression scope's `steps`). */
  outputs: Record<string, JsonValue>;
  recorded: Map<string, RecordedNode>;
  hooks: ExecutionHooks;
  services: NodeServices;
  log: NodeLogger;
  policy: RetryPolicyLike;
  /** Aborted on cancel and run timeout; the signal nodes get (combined with their own timeout). */
  controller: AbortController;
  /** Rejects with `abortError` once the run is aborted; raced against every node. */
  aborted: Promise<never>;
  abortError: Error | undefined;
  startedAt: number;
  deadline: number;
  budget: RunBudget;
  usage: { aiTokensUsed: number; estimatedCost: number; webhooksCalled: number; unpricedCalls: number; unpricedTokens?: number };
  response: RunResponse | undefined;
}

export const noopLogger: NodeLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Reduces recorded steps to one fact per node: completed wins, then the latest skipped/waiting. */
export function readRecordedSteps(steps: ReadonlyArray<EngineStep> | undefined): Map<string, RecordedNode> {
  const out = new Map<string, RecordedNode>();
  if (!steps) return out;
  for (const step of steps) {
    const prev = out.get(step.nodeId);
    if (prev?.status === 'completed') continue;
    if (step.status === 'completed') {
      const rec: RecordedNode = { status: 'completed', output: step.output ?? null };
      if (step.handle !== undefined) rec.handle = step.handle;
      out.set(step.nodeId, rec);
    } else if (step.status === 'skipped') out.set(step.nodeId, { status: 'skipped' });
    else if (step.status === 'waiting') out.set(step.nodeId, { status: 'waiting', output: step.output ?? null, attempt: step.attempt, startedAt: step.startedAt });
    else if (prev?.status === 'waiting' && step.status === 'running') continue; // the resumed attempt started
    else out.delete(step.nodeId);
  }
  return out;
}
