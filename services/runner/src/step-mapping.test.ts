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

  it('hands a stored error to the engine whole (the engine step is the schema Step: same error shape)', () => {
    const error = { code: 'OUT_ERR_EXPRESSION', message: 'bad', details: [{ path: 'x', message: 'y' }] };
    const stored = Step.parse({ nodeId: 'n', nodeType: 'set', status: 'failed', attempt: 1, startedAt: '2026-01-01T00:00:00.000Z', error });
    expect(toEngineStep(stored)).toEqual({ nodeId: 'n', nodeType: 'set', status: 'failed', attempt: 1, startedAt: Date.parse('2026-01-01T00:00:00.000Z'), error });
  });

  it('does not repeat the input in the finish write', () => {
    const finish = toStepFinish({ nodeId: 'n', nodeType: 'set', status: 'completed', attempt: 1, startedAt: 0, finishedAt: 5, input: { a: 1 }, output: 1 });
    expect(finish).toEqual({ nodeId: 'n', nodeType: 'set', status: 'completed', attempt: 1, startedAt: '1970-01-01T00:00:00.000Z', finishedAt: '1970-01-01T00:00:00.005Z', duration: 5, output: 1 });
  });
});
