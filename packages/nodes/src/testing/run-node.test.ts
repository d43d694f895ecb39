import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { defineNode } from '../define-node';
import { createManualClock } from './manual-clock';
import { runNode } from './run-node';

const probe = defineNode({
  type: 'probe',
  label: 'Probe',
  description: 'echoes its context for the harness test',
  category: 'core',
  icon: 'circle',
  params: z.strictObject({ n: z.number().default(1).describe('n') }),
  inputs: [{ id: 'in' }],
  outputs: [{ id: 'a' }, { id: 'b' }],
  async execute(ctx) {
    ctx.log.info('probing', { n: ctx.params.n });
    ctx.log.warn('careful');
    return {
      output: { params: ctx.params, input: ctx.input, trigger: ctx.trigger, key: ctx.idempotencyKey, now: ctx.clock.now(), resume: ctx.resumeState ?? null },
      handle: 'b',
      usage: { webhooksCalled: 2 },
    };
  },
});

describe('runNode', () => {
  it('parses params with defaults, builds the context and captures logs, handle and usage', async () => {
    const clock = createManualClock(1000);
    const result = await runNode(probe, { params: {}, input: { i: 1 }, trigger: { t: 2 }, clock, runId: 'r', nodeId: 'n', attempt: 3, resumeState: { s: 1 } });
    expect(result.output).toEqual({ params: { n: 1 }, input: { i: 1 }, trigger: { t: 2 }, key: 'r:n:3', now: 1000, resume: { s: 1 } });
    expect(result.handle).toBe('b');
    expect(result.usage).toEqual({ webhooksCalled: 2 });
    expect(result.logs).toEqual([
      { level: 'info', msg: 'probing', fields: { n: 1 } },
      { level: 'warn', msg: 'careful', fields: {} },
    ]);
    expect('response' in result).toBe(false);
  });

  it('rejects invalid params with data.* paths before executing', async () => {
    const error = await runNode(probe, { params: { n: 'x', extra: true } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetriableError);
    expect(error).toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS });
    expect((error as NonRetriableError).details.map((d) => d.path).sort()).toEqual(['data', 'data.n']);
  });
});
