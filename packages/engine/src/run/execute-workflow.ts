import { ErrorCode, NonRetriableError, type JsonValue } from '@outrun/schemas';
import { buildPlan, type PlanNode } from '../plan/build-plan';
import { prepareNodeTypes } from '../plan/prepare-node-types';
import type { ExecuteWorkflowOptions, ExecutionResult } from '../types';
import { executeStep, type StepOutcome } from './execute-step';
import { ERROR_HANDLE, livePredecessors, NodeState, propagateOutcome } from './propagate-outcome';
import { createGraphState } from './propagate-outcome';
import { noopLogger, readRecordedSteps, type RunContext } from './run-context';
import { startNodes } from './start-nodes';
import { TIMER_DISPOSED } from './timer-disposed';

const DEFAULT_BRANCH_CONCURRENCY = 8;

function createRunContext(options: ExecuteWorkflowOptions): RunContext {
  const plan = buildPlan(options.workflow, options.catalog);
  prepareNodeTypes(plan);
  const settings = options.workflow.settings;
  const startedAt = options.startedAt ?? options.clock.now();
  const controller = new AbortController();
  const budget: RunContext['budget'] = { usedTokens: 0, usedCost: 0 };
  if (settings.maxTokensPerRun !== undefined) budget.maxTokens = settings.maxTokensPerRun;
  if (settings.maxCostPerRun !== undefined) budget.maxCost = settings.maxCostPerRun;
  let rejectAborted: (e: Error) => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
  aborted.catch(() => undefined);
  const run: RunContext = {
    options, plan, state: createGraphState(plan), outputs: {}, recorded: readRecordedSteps(options.recordedSteps),
    hooks: options.hooks ?? {}, services: options.services ?? {}, log: options.log ?? noopLogger,
    policy: settings.retryPolicy, controller, aborted, abortError: undefined,
    startedAt, deadline: startedAt + settings.timeout, budget,
    usage: { aiTokensUsed: 0, estimatedCost: 0, webhooksCalled: 0, unpricedCalls: 0 }, response: undefined,
  };
  controller.signal.addEventListener('abort', () => rejectAborted(run.abortError ?? new Error('aborted')), { once: true });
  return run;
}

/** Aborts the run once (first reason wins): in-flight nodes see their signal abort. */
function abortRun(run: RunContext, error: Error): void {
  if (run.abortError !== undefined) return;
  run.abortError = error;
  run.controller.abort(error);
}

/** Sets an own property even for keys such as `__proto__` (node ids are user data). */
function setOwn(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The node's input: the trigger payload at a start node, the one live predecessor's output, or a map
 * by predecessor id when several are live. A `waitsForAllInputs` node (merge) always gets the map, even
 * with one live branch, so it never has to guess which shape it was given.
 */
function inputOf(run: RunContext, node: PlanNode): JsonValue {
  if (node.inEdges.length === 0) return run.options.trigger.payload;
  const preds = livePredecessors(run.plan, run.state, node.index);
  if (preds.length === 1 && !node.waitsForAll) return run.outputs[(run.plan.nodes[preds[0] as number] as PlanNode).id] ?? null;
  const out: Record<string, JsonValue> = {};
  for (const p of preds) {
    const id = (run.plan.nodes[p] as PlanNode).id;
    setOwn(out, id, run.outputs[id] ?? null);
  }
  return out;
}

/** The run loop: a ready queue drained by up to `branchConcurrency` concurrent step tasks. */
class RunLoop {
  private readonly ready: number[] = [];
  private head = 0;
  private inflight = 0;
  private stopped = false;
  private failure: { code: string; message: string; nodeId?: string } | undefined;
  private resumeAt: number | undefined;
  private waitingFor: string | undefined;
  private lastTopo = -1;
  private lastOutput: JsonValue | undefined;
  private finish: () => void = () => undefined;
  private readonly maxInflight: number;

  constructor(private readonly run: RunContext) {
    this.maxInflight = Math.max(1, run.options.workflow.settings.branchConcurrency ?? DEFAULT_BRANCH_CONCURRENCY);
  }

  async execute(): Promise<ExecutionResult> {
    const { run } = this;
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    const { ready, skipped } = startNodes(run);
    await this.reportSkipped(skipped);
    this.enqueue(ready);
    this.pump();
    await done;
    return this.result();
  }

  private enqueue(indices: number[]): void {
    for (const i of indices) this.ready.push(i);
  }

  /** Starts ready nodes up to the concurrency bound; resolves the run when nothing is left to do. */
  private pump(): void {
    while (!this.stopped && this.run.abortError === undefined && this.inflight < this.maxInflight && this.head < this.ready.length) {
      const index = this.ready[this.head++] as number;
      if (this.reuseRecorded(index)) continue;
      this.inflight++;
      void this.runNode(index);
    }
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready.splice(0, this.head);
      this.head = 0;
    }
    if (this.inflight === 0 && (this.stopped || this.run.abortError !== undefined || this.head >= this.ready.length)) this.finish();
  }

  /** Resume: a node recorded completed/skipped is settled from the record, without hooks or execution. */
  private reuseRecorded(index: number): boolean {
    const node = this.run.plan.nodes[index] as PlanNode;
    const rec = this.run.recorded.get(node.id);
    if (rec === undefined || rec.status === 'waiting') return false;
    const ready: number[] = [];
    const skipped: number[] = [];
    if (rec.status === 'completed') {
      this.recordOutput(node, rec.output ?? null);
      propagateOutcome(this.run.plan, this.run.state, index, true, rec.handle, ready, skipped);
    } else propagateOutcome(this.run.plan, this.run.state, index, false, undefined, ready, skipped);
    this.enqueue(ready);
    // Skips caused by recorded routing were recorded too; any new ones are reported asynchronously.
    if (skipped.length > 0) {
      this.inflight++;
      void this.reportSkipped(skipped).finally(() => {
        this.inflight--;
        this.pump();
      });
    }
    return true;
  }

  private recordOutput(node: PlanNode, output: JsonValue): void {
    setOwn(this.run.outputs, node.id, output);
    if (node.topo > this.lastTopo) {
      this.lastTopo = node.topo;
      this.lastOutput = output;
    }
  }

  private async runNode(index: number): Promise<void> {
    const { run } = this;
    const node = run.plan.nodes[index] as PlanNode;
    try {
      run.state.node[index] = NodeState.RUNNING;
      const input = inputOf(run, node);
      const outcome = node.isTrigger ? await this.runTriggerNode(node, input) : await executeStep(run, node, input);
      await this.apply(node, outcome);
    } catch (err) {
      // A hook threw (the runner could not record): fail the run rather than lose track of it.
      this.fail({ code: ErrorCode.INTERNAL, message: `step bookkeeping failed: ${err instanceof Error ? err.message : String(err)}`, nodeId: node.id });
    } finally {
      this.inflight--;
      this.pump();
    }
  }

  /** A trigger node "runs" by handing on its input (the trigger payload at a start node). */
  private async runTriggerNode(node: PlanNode, input: JsonValue): Promise<StepOutcome> {
    const { hooks, options } = this.run;
    const at = options.clock.now();
    if (hooks.onStepStart) await hooks.onStepStart({ nodeId: node.id, nodeType: node.type, status: 'running', attempt: 1, startedAt: at, input });
    if (hooks.onStepFinish) await hooks.onStepFinish({ nodeId: node.id, nodeType: node.type, status: 'completed', attempt: 1, startedAt: at, finishedAt: at, duration: 0, input, output: input });
    return { kind: 'completed', output: input, handle: undefined, response: undefined };
  }

  private async apply(node: PlanNode, outcome: StepOutcome): Promise<void> {
    const { run } = this;
    switch (outcome.kind) {
      case 'completed':
      case 'failed': {
        if (outcome.kind === 'failed' && !outcome.continued) {
          this.fail(outcome.error);
          return;
        }
        const handle = outcome.kind === 'completed' ? outcome.handle : node.settings.onError === 'error-output' ? ERROR_HANDLE : undefined;
        if (outcome.kind === 'completed' && outcome.response !== undefined && run.response === undefined) run.response = outcome.response;
        this.recordOutput(node, outcome.output);
        const ready: number[] = [];
        const skipped: number[] = [];
        propagateOutcome(run.plan, run.state, node.index, true, handle, ready, skipped);
        this.enqueue(ready);
        await this.reportSkipped(skipped);
        return;
      }
      case 'parked':
        run.state.node[node.index] = NodeState.WAITING;
        this.resumeAt = this.resumeAt === undefined ? outcome.resumeAt : Math.min(this.resumeAt, outcome.resumeAt);
        // One signal per run: a second waiting branch re-waits when the run resumes (its state keeps its deadline).
        if (outcome.waitingFor !== undefined) this.waitingFor ??= outcome.waitingFor;
        this.stopped = true;
        return;
      case 'aborted':
        return;
    }
  }

  private fail(error: { code: string; message: string; nodeId?: string }): void {
    if (this.failure === undefined) {
      this.failure = { code: error.code, message: error.message };
      if (error.nodeId !== undefined) this.failure.nodeId = error.nodeId;
    }
    this.stopped = true;
  }

  private async reportSkipped(skipped: number[]): Promise<void> {
    const { hooks, recorded, plan, options } = this.run;
    if (!hooks.onStepFinish) return;
    for (const i of skipped) {
      const node = plan.nodes[i] as PlanNode;
      if (recorded.get(node.id)?.status === 'skipped') continue;
      const at = options.clock.now();
      await hooks.onStepFinish({ nodeId: node.id, nodeType: node.type, status: 'skipped', attempt: 1, startedAt: at, finishedAt: at, duration: 0 });
    }
  }

  private result(): ExecutionResult {
    const { run } = this;
    const result: ExecutionResult = { status: 'completed', outputs: run.outputs, usage: run.usage };
    const abort = run.abortError as { code?: string; message: string } | undefined;
    if (abort !== undefined) {
      result.status = abort.code === ErrorCode.RUN_CANCELLED ? 'cancelled' : 'failed';
      result.error = { code: abort.code ?? ErrorCode.RUN_CANCELLED, message: abort.message };
    } else if (this.failure !== undefined) {
      result.status = 'failed';
      result.error = this.failure;
    } else if (this.resumeAt !== undefined) {
      result.status = 'parked';
      result.resumeAt = this.resumeAt;
      if (this.waitingFor !== undefined) result.waitingFor = this.waitingFor;
    }
    if (run.response !== undefined) {
      result.response = run.response;
      result.output = run.response.body ?? this.lastOutput ?? null;
    } else if (this.lastOutput !== undefined) result.output = this.lastOutput;
    return result;
  }
}

/** Arms the run timeout and the caller's cancel signal; returns a disposer. */
function armAbortSources(run: RunContext): () => void {
  const { options } = run;
  const timer = new AbortController();
  const remaining = run.deadline - options.clock.now();
  // Built only when it fires: an error's stack capture is a real cost on every (short) run.
  const timedOut = (): void => abortRun(run, new NonRetriableError(ErrorCode.RUN_TIMEOUT, `Run exceeded its timeout of ${options.workflow.settings.timeout} ms`));
  if (remaining <= 0) timedOut();
  else options.clock.sleep(remaining, timer.signal).then(timedOut, () => undefined);
  const onCancel = (): void => abortRun(run, new NonRetriableError(ErrorCode.RUN_CANCELLED, 'Run cancelled'));
  if (options.signal?.aborted) onCancel();
  else options.signal?.addEventListener('abort', onCancel, { once: true });
  return () => {
    timer.abort(TIMER_DISPOSED);
    options.signal?.removeEventListener('abort', onCancel);
  };
}

/**
 * Executes a workflow from its firing trigger (or its root nodes) to the end, a failure, a cancel,
 * the run timeout or a park (durable delay). Never throws for workflow or node problems: they end
 * up in the result. Resumes from `recordedSteps` without re-running completed steps.
 */
export async function executeWorkflow(options: ExecuteWorkflowOptions): Promise<ExecutionResult> {
  const run = createRunContext(options);
  if (run.plan.cycle !== null) {
    return {
      status: 'failed',
      error: { code: ErrorCode.CYCLE, message: `Workflow graph has a cycle through: ${run.plan.cycle.slice(0, 20).join(', ')}` },
      outputs: {},
      usage: run.usage,
    };
  }
  const dispose = armAbortSources(run);
  try {
    return await new RunLoop(run).execute();
  } finally {
    dispose();
  }
}
