import { ErrorCode, UserError } from '@outrun/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { createExpressionSandbox } from './expression-sandbox';

const sandbox = createExpressionSandbox();
afterAll(() => sandbox.close());

describe('createExpressionSandbox', () => {
  it('evaluates templates and expressions like the engine', async () => {
    const scope = { input: { n: 2, tags: ['a', 'b'] }, trigger: null, steps: {} };
    await expect(sandbox.evaluateTemplate('{{ input.n * 21 }}', scope)).resolves.toBe(42);
    await expect(sandbox.evaluateTemplate('{{ input.tags.$uppercase($) }}', scope)).resolves.toEqual(['A', 'B']);
    await expect(sandbox.evaluateTemplate('n={{ input.n }}', scope)).resolves.toBe('n=2');
    await expect(sandbox.evaluateExpression('$sum(input.tags.$length($))', scope)).resolves.toBe(2);
  });

  it('gives back the engine error with its code and details', async () => {
    const err = await sandbox.evaluateTemplate('{{ input.( }}', { input: {} }, 'data.x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ code: ErrorCode.EXPRESSION, details: [{ path: 'data.x' }] });
    const bomb = await sandbox.evaluateTemplate('{{ $length($pad("", 30000000)) }}', { input: {} }).catch((e: unknown) => e);
    expect(bomb).toMatchObject({ code: ErrorCode.EXPRESSION, message: expect.stringMatching(/\$pad/) as unknown });
  });
});
