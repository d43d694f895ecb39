/**
 * `workflow` ("Execute workflow"): starts another workflow of the workspace (pinned version or the current one)
 * with an input, and either waits for it — the parent run parks holding no worker; the child's end resumes it;
 * the child's output becomes this node's output, its failure fails this node with the child's error code (retried
 * by the node's policy: a retry starts a fresh child) — or fires and forgets. The child's usage rolls up into the
 * parent's. Depth and cycles are checked when the child starts (see the runner's composition services).
 * With `forEach`, one child per item (input `{...input, item, index}`): the output is the array of their outputs in
 * item order; the parent waits on one unfinished child at a time and looks at all of them on every resume.
 */
import { z } from 'zod';
import { ErrorCode, JsonValue, NonRetriableError, OperationalError } from '@outrun/schemas';
import type { NodeResult } from '@outrun/engine';
import { defineNode, IN, OUT } from '../define-node';
import { getCompositionServices, MAX_WAIT_MS, type ChildRunResult } from './composition-services';

export const WorkflowCallParams = z.strictObject({
  workflowId: z.string().min(1).max(200).describe('The workflow to run (same workspace)'),
  version: z.union([z.literal('active'), z.number().int().min(1)]).default('active').describe('A pinned version number, or "active" (its current version at call time)'),
  input: JsonValue.default({}).describe("The child's trigger payload; checked against the child's input schema"),
  mode: z.enum(['wait', 'fire']).default('wait').describe('wait: park until the child ends and return its output; fire: start it and go on'),
  timeoutMs: z.number().int().min(1000).max(MAX_WAIT_MS).default(3600 * 1000).describe('wait mode: fail with OUT_ERR_NODE_TIMEOUT when the child has not ended by then'),
  forEach: z.array(JsonValue).max(100).optional().describe('Fan out: one child per item (e.g. {{ trigger.items }}); each gets {...input, item, index}'),
});
export type WorkflowCallParams = z.infer<typeof WorkflowCallParams>;

const WaitState = z.object({ childRunId: z.string(), deadline: z.number() });
const FanOutState = z.object({ childRunIds: z.array(z.string()), deadline: z.number() });
const isObject = (v: unknown): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);
const ended = (c: ChildRunResult | null): c is ChildRunResult => c !== null && c.status !== 'queued' && c.status !== 'running';
const childSignal = (runId: string) => `child:${runId}`;

function settle(child: ChildRunResult): NodeResult {
  const usage = child.usage === undefined ? undefined : { totalTokens: child.usage.aiTokensUsed, cost: child.usage.estimatedCost, webhooksCalled: child.usage.webhooksCalled };
  if (child.status === 'completed') return { output: (child.output ?? null) as JsonValue, ...(usage ? { usage } : {}) };
  const code = child.error?.code ?? (child.status === 'cancelled' ? ErrorCode.RUN_CANCELLED : ErrorCode.NODE_FAILED);
  const error = new OperationalError(code as ErrorCode, `Child run ${child.runId} ${child.status}: ${child.error?.message ?? 'no error recorded'}`);
  // Tokens the child spent count all the same (the engine reads `error.usage`).
  if (usage) Object.assign(error, { usage });
  throw error;
}

export const workflowCallNode = defineNode({
  type: 'workflow',
  label: 'Execute workflow',
  description: 'Runs another workflow with an input; waits for its result (parked, no worker held) or fires and forgets.',
  category: 'flow',
  icon: 'workflow',
  params: WorkflowCallParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx): Promise<NodeResult> {
    const services = getCompositionServices(ctx.services);
    const fanOut = FanOutState.safeParse(ctx.resumeState);
    if (fanOut.success) {
      const { childRunIds, deadline } = fanOut.data;
      const children = await Promise.all(childRunIds.map((id) => services.getRunResult(id)));
      const pending = childRunIds.find((_, i) => !ended(children[i] ?? null));
      if (pending === undefined) {
        const settled = children.map((c) => settle(c as ChildRunResult));
        const usage = { totalTokens: 0, cost: 0, webhooksCalled: 0 };
        for (const r of settled) {
          usage.totalTokens += r.usage?.totalTokens ?? 0;
          usage.cost += typeof r.usage?.cost === 'number' ? r.usage.cost : 0;
          usage.webhooksCalled += r.usage?.webhooksCalled ?? 0;
        }
        return { output: settled.map((r) => r.output), usage };
      }
      if (ctx.clock.now() >= deadline) throw new NonRetriableError(ErrorCode.NODE_TIMEOUT, `Child run ${pending} did not end within ${ctx.params.timeoutMs} ms`);
      return { output: null, wait: { signal: childSignal(pending), deadline, state: fanOut.data } };
    }
    if (ctx.resumeSignal !== undefined) return settle(ctx.resumeSignal.payload as unknown as ChildRunResult);
    const saved = WaitState.safeParse(ctx.resumeState);
    if (saved.success) {
      // The deadline passed, or the child's end signal was lost (crash in between): look at the child itself.
      const child = await services.getRunResult(saved.data.childRunId);
      if (child && child.status !== 'queued' && child.status !== 'running') return settle(child);
      if (ctx.clock.now() >= saved.data.deadline) {
        throw new NonRetriableError(ErrorCode.NODE_TIMEOUT, `Child run ${saved.data.childRunId} did not end within ${ctx.params.timeoutMs} ms`);
      }
      return { output: null, wait: { signal: childSignal(saved.data.childRunId), deadline: saved.data.deadline, state: saved.data } };
    }
    const { workflowId, version, input, mode, timeoutMs, forEach } = ctx.params;
    if (forEach !== undefined) {
      const childRunIds: string[] = [];
      for (const [index, item] of forEach.entries()) {
        const childInput = { ...(isObject(input) ? input : {}), item, index };
        childRunIds.push((await services.startChild({ workflowId, version, input: childInput, stepId: ctx.nodeId, idempotencyKey: `${ctx.runId}:${ctx.nodeId}:${ctx.attempt}:${index}` })).runId);
      }
      if (mode === 'fire') return { output: { runIds: childRunIds, workflowId } };
      if (childRunIds.length === 0) return { output: [] };
      const state = { childRunIds, deadline: ctx.clock.now() + timeoutMs };
      return { output: null, wait: { signal: childSignal(childRunIds[0] as string), deadline: state.deadline, state } };
    }
    const { runId } = await services.startChild({ workflowId, version, input, stepId: ctx.nodeId, idempotencyKey: `${ctx.runId}:${ctx.nodeId}:${ctx.attempt}` });
    if (mode === 'fire') return { output: { runId, workflowId } };
    const state = { childRunId: runId, deadline: ctx.clock.now() + timeoutMs };
    return { output: null, wait: { signal: childSignal(runId), deadline: state.deadline, state } };
  },
});
