import { ErrorCode, NonRetriableError, OperationalError } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestCatalog, graph, runGraph } from '../testing';
import type { NodeCatalog, NodeDefinition } from '../types';

/** An AI-like node that fails its first `fails` attempts with `usage` attached to the error (as ai-agent does). */
function catalogWithFailingAi(): NodeCatalog {
  const t = createTestCatalog();
  const def = {
    type: 'x.ai-fail', label: 'x', description: 'x', icon: 'box', category: 'ai', inputs: [{ id: 'in' }], outputs: [{ id: 'out' }],
    params: z.object({ fails: z.number(), retriable: z.boolean().default(true), usage: z.unknown() }),
    execute: async (ctx: { attempt: number; params: { fails: number; retriable: boolean; usage: unknown } }) => {
      if (ctx.attempt > ctx.params.fails) return { output: { ok: true }, usage: { totalTokens: 1, cost: 0.001 } };
      const err = ctx.params.retriable ? new OperationalError(ErrorCode.AI_PROVIDER, 'provider 500') : new NonRetriableError(ErrorCode.AI_OUTPUT_INVALID, 'bad output');
      throw Object.assign(err, { usage: ctx.params.usage });
    },
  } as unknown as NodeDefinition;
  return new Map([...t.catalog, [def.type, def]]);
}

const retry = { retryPolicy: { maxRetries: 2, backoffStrategy: 'fixed', initialDelay: 1, maxDelay: 1, jitter: 0 } } as const;

describe('executeWorkflow: usage of failed attempts', () => {
  it('counts tokens and cost carried on a failed attempt’s error, per attempt, and reports them on the step', async () => {
    //  t ──► ai (fails twice with usage, then succeeds)
    const wf = graph().trigger('t').settings(retry).node('ai', 'x.ai-fail', { fails: 2, usage: { totalTokens: 50, cost: 0.02, model: 'm' } }).chain('t', 'ai').build();
    const r = await runGraph(wf, catalogWithFailingAi());
    expect(r.status).toBe('completed');
    expect(r.usage).toEqual({ aiTokensUsed: 101, estimatedCost: expect.closeTo(0.041, 9) as unknown, webhooksCalled: 0, unpricedCalls: 0 });
    const failed = r.steps.filter((s) => s.nodeId === 'ai' && s.status === 'failed');
    expect(failed.map((s) => s.usage)).toEqual([{ totalTokens: 50, cost: 0.02, model: 'm' }, { totalTokens: 50, cost: 0.02, model: 'm' }]);
  });

  it('counts it when the run fails too, and unpriced failed calls as unpriced', async () => {
    const wf = graph().trigger('t').node('ai', 'x.ai-fail', { fails: 9, retriable: false, usage: { totalTokens: 7, cost: null } }).chain('t', 'ai').build();
    const r = await runGraph(wf, catalogWithFailingAi());
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: ErrorCode.AI_OUTPUT_INVALID, nodeId: 'ai' });
    expect(r.usage).toEqual({ aiTokensUsed: 7, estimatedCost: 0, webhooksCalled: 0, unpricedCalls: 1, unpricedTokens: 7 });
  });

  it('spends the run budget with failed-attempt tokens', async () => {
    //  t ──► ai (fails, continueOnFail) ──► ai2 (refused: budget spent)
    const wf = graph().trigger('t').settings({ maxTokensPerRun: 40 })
      .node('ai', 'x.ai-fail', { fails: 9, retriable: false, usage: { totalTokens: 40 } }, { continueOnFail: true })
      .node('ai2', 'test.ai').chain('t', 'ai', 'ai2').build();
    const r = await runGraph(wf, catalogWithFailingAi());
    expect(r.error).toMatchObject({ code: ErrorCode.BUDGET_EXCEEDED, nodeId: 'ai2' });
    expect(r.usage.aiTokensUsed).toBe(40);
  });

  it('ignores an error `usage` that is not a valid StepUsage', async () => {
    for (const usage of [{ totalTokens: -5 }, 'lots', { totalTokens: 'many' }]) {
      const wf = graph().trigger('t').node('ai', 'x.ai-fail', { fails: 9, retriable: false, usage }).chain('t', 'ai').build();
      const r = await runGraph(wf, catalogWithFailingAi());
      expect(r.usage).toEqual({ aiTokensUsed: 0, estimatedCost: 0, webhooksCalled: 0, unpricedCalls: 0 });
      expect(r.steps.find((s) => s.status === 'failed')?.usage).toBeUndefined();
    }
  });
});
