import { ErrorCode, NonRetriableError, OperationalError, RetryAfterError, UserError, type JsonValue } from '@outrun/schemas';
import { z } from 'zod';
import type { NodeCatalog, NodeDefinition, NodeResult } from '../types';

/**
 * Minimal node types for engine tests and benchmarks (the real catalog lives in @outrun/nodes, which
 * depends on the engine). Each one records its executions in `calls` so tests can assert who ran.
 */
export interface TestCatalog {
  catalog: NodeCatalog;
  /** Node ids in execution-start order (one entry per attempt). */
  calls: string[];
  /** Highest number of executions in flight at once. */
  maxConcurrent(): number;
}

const asObject = (v: JsonValue): Record<string, JsonValue> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { value: v });

/** Builds a fresh catalog of test nodes with its own call log. */
export function createTestCatalog(): TestCatalog {
  const calls: string[] = [];
  let running = 0;
  let peak = 0;
  const track = async (nodeId: string, fn: () => Promise<NodeResult>): Promise<NodeResult> => {
    calls.push(nodeId);
    running++;
    peak = Math.max(peak, running);
    try {
      return await fn();
    } finally {
      running--;
    }
  };
  const def = <S extends z.ZodType>(d: Omit<NodeDefinition<S>, 'label' | 'description' | 'icon' | 'inputs'> & Partial<NodeDefinition<S>>): NodeDefinition =>
    ({ label: d.type, description: d.type, icon: 'box', inputs: [{ id: 'in' }], ...d }) as unknown as NodeDefinition;
  const out = [{ id: 'out' }];
  const defs: NodeDefinition[] = [
    def({ type: 'test.set', category: 'core', outputs: out, params: z.object({ values: z.record(z.string(), z.json()).default({}) }),
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: { ...asObject(ctx.input), ...ctx.params.values } })) }),
    def({ type: 'test.echo', category: 'core', outputs: out, params: z.object({ value: z.json().optional() }),
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: ctx.params.value === undefined ? ctx.input : ctx.params.value })) }),
    def({ type: 'test.condition', category: 'flow', outputs: [{ id: 'true' }, { id: 'false' }], params: z.object({ value: z.unknown() }),
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: ctx.input, handle: ctx.params.value ? 'true' : 'false' })) }),
    def({ type: 'test.switch', category: 'flow', params: z.object({ cases: z.array(z.string()).default([]), value: z.string() }),
      outputs: (p: { cases: string[] }) => [...p.cases.map((id) => ({ id })), { id: 'default' }],
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: ctx.input, handle: ctx.params.cases.includes(ctx.params.value) ? ctx.params.value : 'default' })) }),
    def({ type: 'test.merge', category: 'flow', outputs: out, waitsForAllInputs: true, params: z.object({}),
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: ctx.input })) }),
    def({ type: 'test.fail', category: 'core', outputs: out,
      params: z.object({ times: z.number().int().default(1_000_000), kind: z.enum(['operational', 'nonretriable', 'user', 'retryAfter', 'plain']).default('operational'), retryAfterMs: z.number().default(0) }),
      execute: (ctx) => track(ctx.nodeId, async () => {
        if (ctx.attempt > ctx.params.times) return { output: { ok: true, attempt: ctx.attempt } };
        const msg = `fail #${ctx.attempt}`;
        switch (ctx.params.kind) {
          case 'nonretriable': throw new NonRetriableError(ErrorCode.NODE_FAILED, msg);
          case 'user': throw new UserError(ErrorCode.VALIDATION, msg);
          case 'retryAfter': throw new RetryAfterError(ErrorCode.RATE_LIMITED, msg, ctx.params.retryAfterMs);
          case 'plain': throw new Error(msg);
          default: throw new OperationalError(ErrorCode.NODE_FAILED, msg);
        }
      }) }),
    def({ type: 'test.slow', category: 'core', outputs: out, params: z.object({ ms: z.number().default(100), ignoreAbort: z.boolean().default(false) }),
      execute: (ctx) => track(ctx.nodeId, async () => {
        await ctx.clock.sleep(ctx.params.ms, ctx.params.ignoreAbort ? undefined : ctx.signal);
        return { output: ctx.input };
      }) }),
    def({ type: 'test.delay', category: 'flow', outputs: out, params: z.object({ ms: z.number().default(60_000) }),
      execute: (ctx) => track(ctx.nodeId, async () => {
        if (ctx.resumeState !== undefined) return { output: { resumed: ctx.resumeState, input: ctx.input } };
        return { output: null, park: { resumeAt: ctx.clock.now() + ctx.params.ms, state: { parkedAt: ctx.clock.now() } } };
      }) }),
    def({ type: 'test.wait', category: 'flow', outputs: [{ id: 'out' }, { id: 'timeout' }], params: z.object({ signal: z.string(), ms: z.number().default(60_000) }),
      execute: (ctx) => track(ctx.nodeId, async () => {
        const deadline = (ctx.resumeState as { deadline?: number } | undefined)?.deadline ?? ctx.clock.now() + ctx.params.ms;
        if (ctx.resumeSignal !== undefined) return { output: ctx.resumeSignal.payload, handle: 'out' };
        if (ctx.resumeState !== undefined && ctx.clock.now() >= deadline) return { output: { timedOut: true }, handle: 'timeout' };
        return { output: null, wait: { signal: ctx.params.signal, deadline, state: { deadline } } };
      }) }),
    def({ type: 'test.ai', category: 'ai', outputs: out, params: z.object({ tokens: z.number().default(100), cost: z.number().nullable().default(0.01) }),
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: { answer: 42 }, usage: { totalTokens: ctx.params.tokens, cost: ctx.params.cost } })) }),
    def({ type: 'test.http', category: 'http', outputs: out, params: z.object({}),
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: { key: ctx.idempotencyKey }, usage: { webhooksCalled: 1 } })) }),
    def({ type: 'test.respond', category: 'core', outputs: out, params: z.object({ status: z.number().default(200), body: z.json().optional() }),
      execute: (ctx) => track(ctx.nodeId, async () => ({ output: ctx.params.body ?? null, response: { status: ctx.params.status, headers: {}, body: ctx.params.body ?? null } })) }),
  ];
  return { catalog: new Map(defs.map((d) => [d.type, d])), calls, maxConcurrent: () => peak };
}
