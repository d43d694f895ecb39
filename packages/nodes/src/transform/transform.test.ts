import { describe, expect, it } from 'vitest';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { transformNode } from '.';

describe('transform', () => {
  it('evaluates JSONata over input, trigger and steps', async () => {
    const result = await runNode(transformNode, {
      params: { expression: '{"name": input.first & " " & input.last, "source": trigger.source, "score": steps.score.value * 2}' },
      input: { first: 'John', last: 'Doe' },
      trigger: { source: 'webhook' },
      steps: { score: { value: 21 } },
    });
    expect(result.output).toEqual({ name: 'John Doe', source: 'webhook', score: 42 });
  });

  it('turns sequences into arrays and an undefined result into null', async () => {
    const items = { items: [{ p: 1 }, { p: 2 }, { p: 3 }] };
    expect((await runNode(transformNode, { params: { expression: 'input.items[p > 1].p' }, input: items })).output).toEqual([2, 3]);
    expect((await runNode(transformNode, { params: { expression: 'input.missing' }, input: items })).output).toBeNull();
    expect((await runNode(transformNode, { params: { expression: '$sum(input.items.p)' }, input: items })).output).toBe(6);
  });

  it('rejects a syntax error at parse time, with the position', async () => {
    const error = await runNode(transformNode, { params: { expression: 'input.(' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.INVALID_NODE_PARAMS, details: [{ path: 'data.expression' }] });
    expect((error as NonRetriableError).details[0]?.message).toMatch(/position \d+/);
  });

  it('reports runtime errors as non-retriable expression errors', async () => {
    const error = await runNode(transformNode, { params: { expression: '$number("abc") + $undefinedFn()' }, input: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetriableError);
    expect(error).toMatchObject({ code: ErrorCode.EXPRESSION });
    expect((error as Error).message).toMatch(/expression: \$number/);
  });
});

describe('transform limits', () => {
  it('stops runaway recursion with an expression error instead of overflowing the stack', async () => {
    const error = await runNode(transformNode, { params: { expression: '($f := function($n) { 1 + $f($n + 1) }; $f(0))' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.EXPRESSION });
    expect((error as Error).message).toMatch(/Stack overflow.*\[D1011\]/);
  });
});
