import { describe, expect, it } from 'vitest';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { compare } from '../shared/compare';
import { conditionNode } from '.';

const route = async (params: Record<string, unknown>, input: unknown = { pass: 'through' }) => {
  const result = await runNode(conditionNode, { params, input: input as never });
  expect(result.output).toEqual(input);
  return result.handle;
};

describe('condition', () => {
  it.each([
    [{ left: 5, operator: 'equals', right: 5 }, 'true'],
    [{ left: { a: [1, 2] }, operator: 'equals', right: { a: [1, 2] } }, 'true'],
    [{ left: { a: 1, b: 2 }, operator: 'equals', right: { b: 2, a: 1 } }, 'true'],
    [{ left: 5, operator: 'equals', right: '5' }, 'false'],
    [{ left: 'a', operator: 'notEquals', right: 'b' }, 'true'],
    [{ left: 10, operator: 'gt', right: 9 }, 'true'],
    [{ left: '10', operator: 'gt', right: 9 }, 'true'],
    [{ left: 'b', operator: 'gt', right: 'a' }, 'true'],
    [{ left: 9, operator: 'gte', right: 9 }, 'true'],
    [{ left: 8, operator: 'lt', right: 9 }, 'true'],
    [{ left: 9, operator: 'lte', right: 8 }, 'false'],
    [{ left: { a: 1 }, operator: 'gt', right: 0 }, 'false'],
    [{ left: null, operator: 'lt', right: 1 }, 'false'],
    [{ left: 'hello world', operator: 'contains', right: 'world' }, 'true'],
    [{ left: [1, { x: 2 }], operator: 'contains', right: { x: 2 } }, 'true'],
    [{ left: { key: 1 }, operator: 'contains', right: 'key' }, 'true'],
    [{ left: 42, operator: 'contains', right: 4 }, 'false'],
    [{ left: 0, operator: 'exists' }, 'true'],
    [{ left: null, operator: 'exists' }, 'false'],
    [{ operator: 'exists' }, 'false'],
    [{ left: '', operator: 'isEmpty' }, 'true'],
    [{ left: [], operator: 'isEmpty' }, 'true'],
    [{ left: {}, operator: 'isEmpty' }, 'true'],
    [{ left: [0], operator: 'isEmpty' }, 'false'],
    [{ left: 'ORD-123', operator: 'matches', right: '^ORD-\\d+$' }, 'true'],
    [{ left: 'ord-x', operator: 'matches', right: '^ORD-\\d+$' }, 'false'],
  ])('%j → %s', async (params, handle) => {
    expect(await route(params)).toBe(handle);
  });

  it('defaults to equals', async () => {
    expect(await route({ left: 'x', right: 'x' })).toBe('true');
  });

  it('evaluates a JSONata expression over input, trigger and steps', async () => {
    expect(await route({ expression: 'input.amount > 100 and input.currency = "EUR"' }, { amount: 150, currency: 'EUR' })).toBe('true');
    expect(await route({ expression: 'input.amount > 100' }, { amount: 50 })).toBe('false');
    expect(await route({ expression: 'input.missing' }, {})).toBe('false');
    expect(await route({ expression: 'input.items' }, { items: [] })).toBe('false');
  });

  it('fails cleanly on a bad regex and on a JSONata syntax error', async () => {
    await expect(runNode(conditionNode, { params: { left: 'x', operator: 'matches', right: '(' } })).rejects.toMatchObject({
      code: ErrorCode.INVALID_NODE_PARAMS,
      details: [{ path: 'data.right' }],
    });
    // a pattern arriving through a template is only known when the step runs: checked then, naming the field
    expect(() => compare('matches', 'x', '(?=a)', 'right')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_NODE_PARAMS, details: [expect.objectContaining({ path: 'right' })] }));
    await expect(runNode(conditionNode, { params: { expression: 'a = = b' } })).rejects.toMatchObject({
      code: ErrorCode.INVALID_NODE_PARAMS,
      details: [{ path: 'data.expression' }],
    });
    await expect(runNode(conditionNode, { params: { left: 1, operator: 'between' } })).rejects.toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS });
  });

  it('reports a JSONata runtime error as OUT_ERR_EXPRESSION with its position, never retried', async () => {
    const error = await runNode(conditionNode, { params: { expression: 'input.a and $nosuch(1)' }, input: { a: true } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.EXPRESSION, details: [{ path: 'expression', message: expect.stringMatching(/position \d+/) as unknown }] });
    expect(error).toBeInstanceOf(NonRetriableError);
  });

  it('declares true and false handles', () => {
    expect(conditionNode.outputs).toEqual([
      { id: 'true', label: 'True' },
      { id: 'false', label: 'False' },
    ]);
  });

  describe('matches runs on RE2 (linear time)', () => {
    it('answers catastrophic-backtracking patterns at once, with the right result', async () => {
      const started = performance.now();
      expect(await route({ left: 'a'.repeat(25) + '!', operator: 'matches', right: '^(\\w+\\s?)*$' })).toBe('false');
      expect(await route({ left: 'a'.repeat(27) + '!', operator: 'matches', right: '^(a+)+$' })).toBe('false');
      expect(await route({ left: 'hello big world', operator: 'matches', right: '^(\\w+\\s?)*$' })).toBe('true');
      expect(await route({ left: 'a'.repeat(28), operator: 'matches', right: '^(a+)+$' })).toBe('true');
      expect(performance.now() - started).toBeLessThan(2000); // backtracking took 3.4 s and 19.6 s
    });

    it('refuses backreferences and lookahead at save time, naming the field', async () => {
      for (const right of ['(a)\\1', '^(?=a)', 'x(?!y)']) {
        await expect(runNode(conditionNode, { params: { left: 'aa', operator: 'matches', right } })).rejects.toMatchObject({
          code: ErrorCode.INVALID_NODE_PARAMS,
          details: [{ path: 'data.right', message: expect.stringMatching(/RE2|unsupported/) as unknown }],
        });
      }
    });

    it('refuses a text over the regex input cap with OUT_ERR_REGEX', async () => {
      await expect(runNode(conditionNode, { params: { left: 'a'.repeat(1_000_001), operator: 'matches', right: 'x' } })).rejects.toMatchObject({
        code: ErrorCode.REGEX,
        details: [{ path: 'right' }],
      });
    });
  });
});
