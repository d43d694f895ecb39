import { ErrorCode, UserError } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { containsTemplates, evaluateTemplate, resolveParams } from './evaluate-template';
import { parseTemplate } from './parse-template';

const scope = { input: { n: 2, name: 'Ada', tags: ['a', 'b'], user: { email: 'ada@x.io' } }, trigger: { body: { id: 7 } }, steps: { fetch: { status: 200 } } };

describe('parseTemplate', () => {
  it('finds templates and tells a single one from mixed text', () => {
    expect(parseTemplate('plain')).toBeNull();
    expect(parseTemplate(' {{ a }} ')?.single).toBe(true);
    expect(parseTemplate('x {{ a }}')?.single).toBe(false);
    expect(parseTemplate('{{ a }}{{ b }}')?.single).toBe(false);
  });
  it('does not end an expression at braces inside it', () => {
    const p = parseTemplate('{{ {"a": {"b": "}}"}} }}');
    expect(p?.parts).toEqual([{ kind: 'expr', source: ' {"a": {"b": "}}"}} ', offset: 2 }]);
  });
  it('leaves an unterminated template as text', () => {
    expect(parseTemplate('{{ oops')).toBeNull();
  });
});

describe('evaluateTemplate', () => {
  it('returns the raw value of a lone template', async () => {
    await expect(evaluateTemplate('{{ input.n * 10 }}', scope)).resolves.toBe(20);
    await expect(evaluateTemplate('{{ input.user }}', scope)).resolves.toEqual({ email: 'ada@x.io' });
    await expect(evaluateTemplate('{{ input.tags }}', scope)).resolves.toEqual(['a', 'b']);
    await expect(evaluateTemplate('{{ steps.fetch.status }}', scope)).resolves.toBe(200);
    await expect(evaluateTemplate('{{ trigger.body.id }}', scope)).resolves.toBe(7);
  });
  it('interpolates mixed text as strings, objects as JSON', async () => {
    await expect(evaluateTemplate('Hi {{ input.name }} ({{ input.n + 1 }})', scope)).resolves.toBe('Hi Ada (3)');
    await expect(evaluateTemplate('u={{ input.user }}', scope)).resolves.toBe('u={"email":"ada@x.io"}');
    await expect(evaluateTemplate('missing=[{{ input.nope }}]', scope)).resolves.toBe('missing=[]');
  });
  it('gives a plain JSON array for JSONata sequences', async () => {
    const v = await evaluateTemplate('{{ input.tags.$uppercase($) }}', scope);
    expect(v).toEqual(['A', 'B']);
    expect(Object.getPrototypeOf(v)).toBe(Array.prototype);
  });
  it('stops runaway recursion with OUT_ERR_EXPRESSION', async () => {
    const err = await evaluateTemplate('{{ ($f := function($n){ $f($n + 1) }; $f(0)) }}', scope).catch((e: unknown) => e);
    expect((err as UserError).code).toBe(ErrorCode.EXPRESSION);
    expect((err as UserError).message).toMatch(/(timeout|stack).*D101[12]/i);
  });

  it('fails with OUT_ERR_EXPRESSION naming the expression and position', async () => {
    const err = await evaluateTemplate('{{ input.n + }}', scope, 'data.x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe(ErrorCode.EXPRESSION);
    expect((err as UserError).message).toMatch(/\{\{ input\.n \+ \}\}.*position \d+.*data\.x/);
    const runtime = await evaluateTemplate('{{ $nosuch(1) }}', scope).catch((e: unknown) => e);
    expect((runtime as UserError).code).toBe(ErrorCode.EXPRESSION);
    expect((runtime as UserError).message).toMatch(/position/);
  });
});

describe('resolveParams', () => {
  it('resolves deeply without touching the original', async () => {
    const data = { url: 'https://x/{{ input.n }}', body: { list: ['{{ input.name }}', 3], keep: true }, gone: '{{ input.nope }}' };
    const copy = structuredClone(data);
    await expect(resolveParams(data, scope)).resolves.toEqual({ url: 'https://x/2', body: { list: ['Ada', 3], keep: true } });
    expect(data).toEqual(copy);
  });
  it('reports the failing parameter path', async () => {
    await expect(resolveParams({ a: { b: '{{ ( }}' } }, scope)).rejects.toThrow(/data\.a\.b/);
  });
  it('keeps a __proto__ key as data, never as a prototype', async () => {
    const data = JSON.parse('{"__proto__": {"polluted": "{{ 1 }}"}}') as Record<string, unknown>;
    const out = await resolveParams(data, scope);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('containsTemplates finds nested templates only', () => {
    expect(containsTemplates({ a: [{ b: 'x{{y}}' }] })).toBe(true);
    expect(containsTemplates({ a: [{ b: 'x{y}' }] })).toBe(false);
  });
});
