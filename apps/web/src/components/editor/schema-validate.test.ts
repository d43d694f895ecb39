import { describe, expect, it } from 'vitest';
import { parseLoose } from './schema-form';
import { isExpression, validateParams } from './schema-validate';

// The shape the catalog emits for http-request (zod → JSON Schema draft 2020-12), trimmed.
const httpSchema = {
  type: 'object',
  properties: {
    method: { default: 'GET', type: 'string', enum: ['GET', 'POST'] },
    url: { type: 'string', minLength: 1, maxLength: 8192 },
    timeout: { default: 30000, type: 'integer', minimum: 1, maximum: 300000 },
    fields: { type: 'array', items: { type: 'object', properties: { name: { type: 'string', minLength: 1 }, value: { $ref: '#/$defs/x' } }, required: ['name', 'value'] } },
  },
  required: ['url'],
};

describe('validateParams', () => {
  it('reports required, enum, bounds and nested list problems by path', () => {
    const problems = validateParams(httpSchema, { method: 'PUT', timeout: 0.5, fields: [{ name: '', value: 1 }, { name: 'ok' }] });
    expect(Object.fromEntries(problems)).toEqual({
      url: 'is required',
      method: 'must be one of "GET", "POST"',
      timeout: 'must be a whole number',
      'fields.0.name': 'is required',
      'fields.1.value': 'is required',
    });
  });

  it('accepts {{ expressions }} for any type and valid values', () => {
    expect(validateParams(httpSchema, { url: 'https://x.test', timeout: '{{ input.t }}', method: 'POST' }).size).toBe(0);
    expect(isExpression('{{ input.a }}')).toBe(true);
    expect(isExpression('plain')).toBe(false);
  });
});

describe('parseLoose (free JSON fields)', () => {
  it('parses JSON literals and keeps anything else as text', () => {
    expect(parseLoose('10')).toBe(10);
    expect(parseLoose('true')).toBe(true);
    expect(parseLoose('{"a": [1]}')).toEqual({ a: [1] });
    expect(parseLoose('{{ input.score }}')).toBe('{{ input.score }}');
    expect(parseLoose('{not json')).toBe('{not json');
    expect(parseLoose('hello')).toBe('hello');
  });
});
