import { ErrorCode, NonRetriableError, OperationalError, StepUsage, UnexpectedError, UserError, type JsonValue, type RunResponse } from '@outrun/schemas';
import { resolveParams, templatedPart } from '../expressions/evaluate-template';
import type { PlanNode } from '../plan/build-plan';
import { decideRetry, type RetryPolicyLike } from '../retry/should-retry';
import type { EngineStep, NodeContext, NodeResult } from '../types';
import type { RunContext } from './run-context';
import { toStepError, type StepError } from './step-error';
import { TIMER_DISPOSED } from './timer-disposed';

/** How one node's execution (all its attempts) ended. */
export type StepOutcome =
  | { kind: 'completed'; output: JsonValue; handle: string | undefined; response: RunResponse | undefined }
  | { kind: 'failed'; error: StepError; continued: boolean; output: JsonValue }
  | { kind: 'parked'; resumeAt: number; output: JsonValue; waitingFor?: string }
  | { kind: 'aborted' };

const paramsError = (nodeId: string, error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): UserError =>
  new UserError(ErrorCode.INVALID_NODE_PARAMS, `Invalid parameters for node ${nodeId}: ${error.issues.map((i) => `data.${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`, 400, {
    nodeId,
    details: error.issues.map((i) => ({ path: ['data', ...i.path.map(String)].join('.'), message: i.message })),
  });

/** Parses the node's params (template-free params are parsed once per plan and cached). */
async function getParams(run: RunContext, node: PlanNode, input: JsonValue): Promise<unknown> {
  const def = node.def as NonNullable<PlanNode['def']>;
  if (!node.hasTemplates) {
    if (node.staticParams === undefined) {
      const parsed = def.params.safeParse(node.data);
      node.staticParams = parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: paramsError(node.id, parsed.error) };
    }
    if (node.staticParams.ok) return node.staticParams.value;
    throw node.staticParams.error;
  }
  const resolved = await resolveParams(templatedPart(node.data, def.literalParams), { input, trigger: run.options.trigger.payload, steps: run.outputs });
  for (const key of def.literalParams ?? []) if (key in node.data) resolved[key] = node.data[key];
  const parsed = def.params.safeParse(resolved);
  if (!parsed.success) throw paramsError(node.id, parsed.error);
  return parsed.data;
}

function checkBudget(run: RunContext): void {
  const b = run.budget;
  if ((b.maxTokens !== undefined && b.usedTokens >= b.maxTokens) || (b.maxCost !== undefined && b.usedCost >= b.maxCost)) {
    throw new NonRetriableError(ErrorCode.BUDGET_EXCEEDED, `Run budget exhausted: ${b.usedTokens} tokens, $${b.usedCost.toFixed(6)} used (limits: ${b.maxTokens ?? '∞'} tokens, $${b.maxCost ?? '∞'})`);
  }
}

/** Runs `execute` under the node's own timeout (on the injected clock) and the run's abort. */
async function withNodeTimeout(run: RunContext, timeout: number, nodeId: string, execute: (signal: AbortSignal) => Promise<NodeResult>): Promise<NodeResult> {
  const nodeController = new AbortController();
  const timer = new AbortController();
  const signal = AbortSignal.any([run.controller.signal, nodeController.signal]);
  const timedOut = run.options.clock.sleep(timeout, timer.signal).then(() => {
    const err = new OperationalError(ErrorCode.NODE_TIMEOUT, `Node ${nodeId} timed out after ${timeout} ms`, { nodeId });
    nodeController.abort(err);
    throw err;
  });
  timedOut.catch(() => undefined);
  try {
    return await Promise.race([execute(signal), timedOut, run.aborted]);
  } finally {
    timer.abort(TIMER_DISPOSED);
  }
}

async function runAttempt(run: RunContext, node: PlanNode, input: JsonValue, attempt: number): Promise<NodeResult> {
  const def = node.def;
  if (def === undefined) throw new NonRetriableError(ErrorCode.UNKNOWN_NODE_TYPE, `Unknown node type "${node.type}"`, { nodeId: node.id });
  const params = await getParams(run, node, input);
  if (def.category === 'ai') checkBudget(run);
  const o = run.options;
  // A waiting node's saved state (and the signal that woke it) is for the first attempt after the resume only: a
  // retry (e.g. a sub-workflow whose child failed) starts afresh.
  const rec = run.recorded.get(node.id);
  if (rec?.status === 'waiting') run.recorded.delete(node.id);
  const makeCtx = (signal: AbortSignal): NodeContext => {
    const ctx: NodeContext = {
      params, input, trigger: o.trigger.payload, steps: run.outputs,
      runId: o.runId, workspaceId: o.workflow.workspaceId, workflowId: o.workflow.id, nodeId: node.id,
      attempt, idempotencyKey: `${o.runId}:${node.id}:${attempt}`, signal, clock: o.clock, log: run.log,
      services: run.services, budget: run.budget,
    };
    if (rec?.status === 'waiting') {
      const saved = rec.output as { state?: JsonValue; waitingFor?: string } | null;
      ctx.resumeState = saved?.state ?? null;
      // Only the node that waits for the delivered signal sees it: another waiting branch waits on.
      const delivered = o.resumeSignal;
      if (delivered !== undefined && saved?.waitingFor === delivered.signal) ctx.resumeSignal = delivered;
    }
    return ctx;
  };
  // Cancelled while the start hook or the params were awaited: do not call the node at all.
  if (run.abortError !== undefined) throw run.abortError;
  const timeout = node.settings.timeout;
  const result = timeout === undefined
    ? await Promise.race([def.execute(makeCtx(run.controller.signal)), run.aborted])
    : await withNodeTimeout(run, timeout, node.id, (signal) => def.execute(makeCtx(signal)));
  if (result === null || typeof result !== 'object') {
    throw new UnexpectedError(ErrorCode.NODE_FAILED, `Node ${node.id} (${node.type}) returned ${String(result)} instead of a NodeResult`, { nodeId: node.id });
  }
  return result;
}

function addUsage(run: RunContext, usage: NodeResult['usage']): void {
  if (!usage) return;
  const tokens = usage.totalTokens ?? 0;
  run.usage.aiTokensUsed += tokens;
  run.budget.usedTokens += tokens;
  if (usage.cost === null) {
    run.usage.unpricedCalls++;
    run.usage.unpricedTokens = (run.usage.unpricedTokens ?? 0) + tokens;
  }
  else if (typeof usage.cost === 'number') {
    run.usage.estimatedCost += usage.cost;
    run.budget.usedCost += usage.cost;
  }
  run.usage.webhooksCalled += usage.webhooksCalled ?? 0;
}

const PartialStepUsage = StepUsage.partial();

/**
 * Usage a failed node attached to its error (`error.usage`, e.g. AI tokens billed before the call
 * failed): spent all the same, so it counts. Ignored unless it is a valid (partial) StepUsage.
 */
function errorUsage(err: unknown): NodeResult['usage'] {
  if (err === null || typeof err !== 'object' || !('usage' in err)) return undefined;
  const raw = (err as { usage?: unknown }).usage;
  return raw !== undefined && PartialStepUsage.safeParse(raw).success ? (raw as NodeResult['usage']) : undefined;
}

function finishStep(node: PlanNode, status: EngineStep['status'], attempt: number, startedAt: number, finishedAt: number, input: JsonValue): EngineStep {
  return { nodeId: node.id, nodeType: node.type, status, attempt, startedAt, finishedAt, duration: finishedAt - startedAt, input };
}

/** The node's retry policy: its `settings.retry` merged over the workflow's. */
export function nodePolicy(run: RunContext, node: PlanNode): RetryPolicyLike {
  return node.settings.retry ? { ...run.policy, ...node.settings.retry } : run.policy;
}

/**
 * Executes one node: every attempt, its hooks, retries with backoff on the injected clock, the
 * node timeout, `continueOnFail`. The only place that calls `node.execute(ctx)`.
 */
export async function executeStep(run: RunContext, node: PlanNode, input: JsonValue): Promise<StepOutcome> {
  const { clock, random } = run.options;
  const hooks = run.hooks;
  const policy = nodePolicy(run, node);
  // A node resumed after parking or waiting continues at the attempt it waited in (retries count across the wait),
  // and its step started when it parked: its duration spans the whole wait.
  const waited = run.recorded.get(node.id);
  const first = waited?.status === 'waiting' ? (waited.attempt ?? 1) : 1;
  const parkedAt = waited?.status === 'waiting' ? waited.startedAt : undefined;
  for (let attempt = first; ; attempt++) {
    if (run.abortError !== undefined) return { kind: 'aborted' };
    const startedAt = attempt === first && parkedAt !== undefined ? parkedAt : clock.now();
    if (hooks.onStepStart) await hooks.onStepStart({ nodeId: node.id, nodeType: node.type, status: 'running', attempt, startedAt, input });
    let result: NodeResult | undefined;
    let error: unknown;
    try {
      result = hooks.aroundAttempt
        ? await hooks.aroundAttempt({ nodeId: node.id, nodeType: node.type, attempt }, () => runAttempt(run, node, input, attempt))
        : await runAttempt(run, node, input, attempt);
    } catch (err) {
      error = err ?? new Error('node threw a nullish value');
    }
    const finishedAt = clock.now();
    if (result !== undefined && error === undefined) return finishSuccess(run, node, result, attempt, startedAt, finishedAt, input);
    if (run.abortError !== undefined) {
      const cancelled = (run.abortError as { code?: string }).code === ErrorCode.RUN_CANCELLED;
      if (hooks.onStepFinish) await hooks.onStepFinish({ ...finishStep(node, cancelled ? 'cancelled' : 'failed', attempt, startedAt, finishedAt, input), error: toStepError(run.abortError, node.id) });
      return { kind: 'aborted' };
    }
    const stepError = toStepError(error, node.id);
    const usage = errorUsage(error);
    addUsage(run, usage);
    const decision = decideRetry({ error, attempt, policy, random, remainingMs: run.deadline - finishedAt });
    const continued = !decision.retry && (node.settings.continueOnFail === true || node.settings.onError === 'error-output');
    const output: JsonValue = { error: { code: stepError.code, message: stepError.message } };
    if (hooks.onStepFinish) {
      await hooks.onStepFinish({ ...finishStep(node, 'failed', attempt, startedAt, finishedAt, input), error: stepError, ...(continued ? { output } : {}), ...(usage ? { usage } : {}) });
    }
    if (!decision.retry) return { kind: 'failed', error: stepError, continued, output };
    try {
      await clock.sleep(decision.delayMs, run.controller.signal);
    } catch {
      return { kind: 'aborted' };
    }
  }
}

async function finishSuccess(run: RunContext, node: PlanNode, result: NodeResult, attempt: number, startedAt: number, finishedAt: number, input: JsonValue): Promise<StepOutcome> {
  addUsage(run, result.usage);
  const hooks = run.hooks;
  if (result.wait) {
    const { signal, deadline } = result.wait;
    const output: JsonValue = { resumeAt: deadline, waitingFor: signal, state: result.wait.state ?? null };
    if (hooks.onStepFinish) await hooks.onStepFinish({ ...finishStep(node, 'waiting', attempt, startedAt, finishedAt, input), output });
    return { kind: 'parked', resumeAt: deadline, output, waitingFor: signal };
  }
  if (result.park) {
    const output: JsonValue = { resumeAt: result.park.resumeAt, state: result.park.state ?? null };
    if (hooks.onStepFinish) await hooks.onStepFinish({ ...finishStep(node, 'waiting', attempt, startedAt, finishedAt, input), output });
    return { kind: 'parked', resumeAt: result.park.resumeAt, output };
  }
  const output = result.output === undefined ? null : result.output;
  if (hooks.onStepFinish) {
    const step = finishStep(node, 'completed', attempt, startedAt, finishedAt, input);
    step.output = output;
    if (result.handle !== undefined) step.handle = result.handle;
    if (result.usage !== undefined) step.usage = result.usage;
    await hooks.onStepFinish(step);
  }
  return { kind: 'completed', output, handle: result.handle, response: result.response };
}
