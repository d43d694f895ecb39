import { ErrorCode } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { EXPRESSION_LIMITS } from './bounded-builtins';
import { evaluateExpression } from './evaluate-expression';
import { evaluateTemplate, resolveParams } from './evaluate-template';
import { Re2RegExp, safeMatches } from './safe-regex';

const scope = { input: { body: 'a'.repeat(27) + '!', words: 'a'.repeat(25) + '!' }, trigger: null, steps: {} };
const failure = (template: string) => evaluateTemplate(template, scope).then(() => null, (e: unknown) => e as { code: string; message: string });

describe('JSONata regex functions run on RE2', () => {
  it('answers catastrophic-backtracking patterns at once with the right result ($match, $contains, $replace, $split)', async () => {
    const started = performance.now();
    await expect(evaluateTemplate('{{ $match(input.body, /^(a+)+$/) }}', scope)).resolves.toBeUndefined();
    await expect(evaluateTemplate('{{ $contains(input.words, /^(\\w+\\s?)*$/) }}', scope)).resolves.toBe(false);
    await expect(evaluateTemplate('{{ $match("aaaa", /^(a+)+$/).match }}', scope)).resolves.toBe('aaaa');
    await expect(evaluateTemplate('{{ $replace("a-b-c", /-(\\w)/, "[$1]") }}', scope)).resolves.toBe('a[b][c]');
    await expect(evaluateTemplate('{{ $split("a1b22c", /\\d+/) }}', scope)).resolves.toEqual(['a', 'b', 'c']);
    await expect(evaluateTemplate('{{ $match("Ab aB", /ab/i).index }}', scope)).resolves.toEqual([0, 3]);
    await expect(evaluateExpression('$contains(input.words, /^(\\w+\\s?)*$/)', scope)).resolves.toBe(false);
    expect(performance.now() - started).toBeLessThan(2000); // backtracking took 3.4 s and 19.6 s
  });

  it('refuses a backreference or lookahead at compile time with OUT_ERR_EXPRESSION naming the regex', async () => {
    for (const template of ['{{ $match("aa", /(a)\\1/) }}', '{{ $contains("ab", /a(?=b)/) }}']) {
      const err = await failure(template);
      expect(err).toMatchObject({ code: ErrorCode.EXPRESSION });
      expect(err?.message).toMatch(/RE2|unsupported/);
    }
  });

  it('Re2RegExp keeps RegExp lastIndex semantics', () => {
    const re = new Re2RegExp(/b/g);
    expect(re.exec('abab')?.index).toBe(1);
    expect(re.lastIndex).toBe(2);
    expect(re.exec('abab')?.index).toBe(3);
    expect(re.exec('abab')).toBeNull();
    expect(re.lastIndex).toBe(0);
    expect(safeMatches('(?<n>\\d)', 'a1', 'g')).toEqual([{ match: '1', index: 1, captures: ['1'], groups: { n: '1' } }]);
  });
});

describe('JSONata built-ins are bounded', () => {
  it('$pad("", 50000000) and $length($pad("", 30000000)) fail at once instead of allocating', async () => {
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (const template of ['{{ $pad("", 50000000) }}', '{{ $length($pad("", 30000000)) }}', '{{ $pad("", -30000000, "xy") }}']) {
      const err = await failure(template);
      expect(err).toMatchObject({ code: ErrorCode.EXPRESSION });
      expect(err?.message).toMatch(/\$pad to \d+ characters is longer than 5000000/);
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('caps $join, $replace, ranges and the total a single evaluation may allocate', async () => {
    expect((await failure('{{ $join([$pad("", 3000000), $pad("", 3000000)]) }}'))?.message).toMatch(/\$join would build/);
    expect((await failure('{{ $replace($pad("", 4000000, "a"), "a", "bb") }}'))?.message).toMatch(/\$replace would build/);
    expect((await failure('{{ $count([1..2000000]) }}'))?.message).toMatch(/range \[1\.\.2000000\] has 2000000 items/);
    // ranges are charged to the evaluation's budget: 60 ranges of 1,000,000 cannot pile up (whichever of the
    // budget and the 1 s guardrail comes first on this machine)
    expect((await failure('{{ $count([1..60].($count([1..1000000]))) }}'))?.message).toMatch(/allocated more than|timeout/);
    // $eval cannot smuggle in JSONata's unbounded range operator
    expect((await failure('{{ $count($eval("[1..9000000]")) }}'))?.message).toMatch(/ranges \(a\.\.b\) are not allowed inside \$eval/);
    await expect(evaluateTemplate('{{ $eval("1 + 2") }}', scope)).resolves.toBe(3);
    // JSONata's own range errors are kept
    expect((await failure('{{ [1.5..3] }}'))?.message).toMatch(/T2003/);
    // each call is within its cap, the sum is not (13 × 4,000,000 > 50,000,000)
    expect((await failure('{{ ($s := $pad("", 4000000); $count([1..20].($uppercase($s)))) }}'))?.message).toMatch(/allocated more than/);
    // a rope built by concatenation is refused before anything flattens it
    expect((await failure('{{ ($s := $pad("", 4000000); $length($s & $s)) }}'))?.message).toMatch(/string of 8000000 characters/);
  });

  it('leaves ordinary work alone', async () => {
    await expect(evaluateTemplate('{{ $pad("7", -3, "0") }}', scope)).resolves.toBe('007');
    await expect(evaluateTemplate('{{ $join(["a", "b"], ",") }}', scope)).resolves.toBe('a,b');
    await expect(evaluateTemplate('{{ $sum([1..1000]) }}', scope)).resolves.toBe(500500);
    await expect(evaluateTemplate('{{ [0, [1..3], 4..5] }}', scope)).resolves.toEqual([0, [1, 2, 3], 4, 5]);
    await expect(evaluateTemplate('{{ [5..1] }}', scope)).resolves.toEqual([]);
    await expect(evaluateTemplate('{{ [1..3].($ * 2) }}', scope)).resolves.toEqual([2, 4, 6]);
    await expect(evaluateTemplate('{{ $length($pad("", 1000000)) }}', scope)).resolves.toBe(1_000_000);
    await expect(evaluateTemplate('{{ $map([1, 2], function($v) { $v * 2 }) }}', scope)).resolves.toEqual([2, 4]);
    expect(EXPRESSION_LIMITS.maxStringLength).toBe(5_000_000);
  });
});

describe('a function is not a value', () => {
  const scope = { input: {}, trigger: {}, steps: {} };
  it('a parameter yielding a function is an expression error (never retried), not a circular-JSON crash at recording', async () => {
    for (const template of ['{{ function($x){$x} }}', '{{ $uppercase }}', 'text {{ function($x){$x} }}']) {
      await expect(evaluateTemplate(template, scope, 'data.value')).rejects.toMatchObject({ code: ErrorCode.EXPRESSION });
    }
    await expect(resolveParams({ url: '{{ function(){1} }}' }, scope)).rejects.toMatchObject({ code: ErrorCode.EXPRESSION });
    await expect(evaluateExpression('function($x){$x}', {})).rejects.toMatchObject({ code: ErrorCode.EXPRESSION });
  });

  it('inside a value a function is dropped, so what is recorded is plain JSON', async () => {
    const value = await evaluateTemplate('{{ {"f": function(){1}, "n": 1, "list": [1, $uppercase]} }}', scope);
    expect(value).toEqual({ n: 1, list: [1, null] });
    expect(() => JSON.stringify(value)).not.toThrow();
  });
});
