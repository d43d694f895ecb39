import { describe, expect, it } from 'vitest';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { isRetriable } from '../retry/should-retry';
import { compileExpression } from './compile-expression';
import { evaluateExpression, expressionSyntaxError } from './evaluate-expression';
import { toJsonValue } from './to-json-value';

describe('evaluateExpression', () => {
  it('evaluates over the scope without copying or touching it', async () => {
    const steps = Object.freeze({ a: { n: [1, 2, 3] } });
    const scope = Object.freeze({ input: { k: 2 }, trigger: null, steps });
    await expect(evaluateExpression('$sum(steps.a.n) * input.k', scope)).resolves.toBe(12);
    await expect(evaluateExpression('input', scope)).resolves.toBe(scope.input);
  });

  it('compiles a source once (the cache is shared with templates)', async () => {
    const source = '1 + 41 /* cache probe */';
    await evaluateExpression(source, {});
    const first = compileExpression(source);
    await evaluateExpression(source, {});
    expect(compileExpression(source)).toBe(first);
  });

  it('turns syntax errors into non-retriable OUT_ERR_EXPRESSION with the position and param path', async () => {
    const err = await evaluateExpression('input.(', {}, 'data.expression').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect(isRetriable(err)).toBe(false);
    expect(err).toMatchObject({ code: ErrorCode.EXPRESSION, details: [{ path: 'data.expression', message: expect.stringMatching(/position \d+/) as unknown }] });
    expect((err as Error).message).toMatch(/position \d+.*\(expression: input\.\(\)/);
  });

  it('turns runtime errors into OUT_ERR_EXPRESSION naming the JSONata code', async () => {
    const err = await evaluateExpression('$undefinedFn()', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.EXPRESSION, details: [{ path: 'expression', code: 'T1006' }] });
    expect((err as Error).message).toMatch(/position \d+.*\[T1006\]/);
  });

  it('stops runaway recursion at the stack guardrail', async () => {
    const err = await evaluateExpression('($f := function($n) { 1 + $f($n + 1) }; $f(0))', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.EXPRESSION, details: [{ code: 'D1011' }] });
  });

  it('expressionSyntaxError reports the position or null', () => {
    expect(expressionSyntaxError('a.(')).toMatch(/position \d+/);
    expect(expressionSyntaxError('a.b')).toBeNull();
  });
});

describe('toJsonValue', () => {
  it('keeps plain JSON by reference, flattens sequences, drops functions', async () => {
    const input = { a: { b: [1, 2] } };
    expect(toJsonValue(input)).toBe(input);
    const seq = await evaluateExpression('items[p > 1].p', { items: [{ p: 1 }, { p: 2 }, { p: 3 }] });
    const out = toJsonValue(seq);
    expect(out).toEqual([2, 3]);
    expect(Object.getPrototypeOf(out)).toBe(Array.prototype);
    expect(Object.hasOwn(out as object, 'sequence')).toBe(false);
    expect(toJsonValue({ f: () => 1, x: [() => 2, 3] })).toEqual({ x: [null, 3] });
    expect(toJsonValue(() => 1)).toBeUndefined();
  });
});
