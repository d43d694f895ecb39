import { describe, expect, it } from 'vitest';
import { checkJsonSchema, MAX_SCHEMA_CHARS } from './json-schema-check';

describe('checkJsonSchema (bounded form/input validator)', () => {
  const form = {
    type: 'object',
    required: ['amount', 'reason'],
    additionalProperties: false,
    properties: { amount: { type: 'number', minimum: 0, maximum: 1000 }, reason: { type: 'string', minLength: 3 }, tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 2 } },
  };

  it('accepts a valid answer and names every failing field', () => {
    expect(checkJsonSchema(form, { amount: 10, reason: 'ok!' })).toEqual([]);
    expect(checkJsonSchema(form, { amount: 2000, tags: ['c'], extra: 1 })).toEqual([
      { path: 'value.reason', message: 'is required' },
      { path: 'value.amount', message: 'must be ≤ 1000' },
      { path: 'value.tags.0', message: 'must be one of "a", "b"' },
      { path: 'value.extra', message: 'is not allowed' },
    ]);
    expect(checkJsonSchema(form, 'nope')).toEqual([{ path: 'value', message: 'must be object' }]);
  });

  it('is bounded: huge schemas are refused, deep values stop, issues are capped', () => {
    expect(checkJsonSchema({ description: 'x'.repeat(MAX_SCHEMA_CHARS) }, {})[0]?.message).toMatch(/larger than/);
    let deep: unknown = 1;
    let schema: Record<string, unknown> = { type: 'number' };
    for (let i = 0; i < 100; i++) {
      deep = [deep];
      schema = { type: 'array', items: schema };
    }
    expect(checkJsonSchema(schema, deep as never).some((i) => i.message === 'nested too deeply')).toBe(true);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 1]));
    expect(checkJsonSchema({ type: 'object', additionalProperties: false }, many)).toHaveLength(20);
  });
});
