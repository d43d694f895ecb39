import { describe, expect, it } from 'vitest';
import { Step } from '@outrun/schemas';
import { toEngineStep, toStepFinish, toStepStart } from './step-mapping';

describe('step mapping', () => {
  it('maps an engine step to store inputs and back (epoch ms ↔ ISO)', () => {
    const engine = {
      nodeId: 'n1', nodeType: 'http-request', status: 'completed' as const, attempt: 2,
      startedAt: Date.parse('2026-01-01T00:00:00.000Z'), finishedAt: Date.parse('2026-01-01T00:00:00.250Z'), duration: 250,
      input: { a: 1 }, output: { b: 2 }, handle: 'true', usage: { webhooksCalled: 1 },
    };
    expect(toStepStart(engine)).toEqual({ nodeId: 'n1', nodeType: 'http-request', attempt: 2, startedAt: '2026-01-01T00:00:00.000Z', input: { a: 1 } });
    const finish = toStepFinish(engine);
    expect(finish).toMatchObject({ status: 'completed', finishedAt: '2026-01-01T00:00:00.250Z', duration: 250, handle: 'true', output: { b: 2 } });
    expect(finish.usage).toMatchObject({ webhooksCalled: 1, totalTokens: 0, cost: 0 });
    const stored = Step.parse({ ...finish, startedAt: finish.startedAt, input: { a: 1 } });
    expect(toEngineStep(stored)).toEqual({ ...engine, usage: finish.usage });
  });

  it('keeps only the serialisable error fields the engine knows', () => {
    const stored = Step.parse({
      nodeId: 'n', nodeType: 'set', status: 'failed', attempt: 1, startedAt: '2026-01-01T00:00:00.000Z',
      error: { code: 'OUT_ERR_EXPRESSION', message: 'bad', details: [{ path: 'x', message: 'y' }] },
    });
    expect(toEngineStep(stored).error).toEqual({ code: 'OUT_ERR_EXPRESSION', message: 'bad' });
  });
});
