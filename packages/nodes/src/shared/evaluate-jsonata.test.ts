import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@outrun/schemas';
import { evaluateJsonata, jsonataSyntaxError } from './evaluate-jsonata';

describe('evaluateJsonata', () => {
  it('evaluates over the given scope', async () => {
    expect(await evaluateJsonata('$sum(input.n)', { input: { n: [1, 2, 3] } })).toBe(6);
  });

  it('stops an endless (tail-recursive) loop at the time limit', async () => {
    const started = Date.now();
    const error = await evaluateJsonata('($f := function($n) { $f($n + 1) }; $f(0))', {}, 'expression', { timeoutMs: 100, maxDepth: 500 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.EXPRESSION, details: [{ path: 'expression' }] });
    expect((error as Error).message).toMatch(/longer than 100 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports syntax errors with their position', () => {
    expect(jsonataSyntaxError('a.(')).toMatch(/position \d+/);
    expect(jsonataSyntaxError('a.b')).toBeNull();
  });
});
