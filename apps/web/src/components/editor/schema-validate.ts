/**
 * Client-side validation of node parameters against the node's JSON Schema (the subset the catalog emits):
 * required, type, enum, bounds, length and pattern. `{{ expression }}` strings are accepted for any type,
 * since they are evaluated at run time. The gateway's validation stays the authority.
 */
import type { JsonValue } from '@outrun/schemas';
import type { JsonSchema } from '../../lib/api';

export const isExpression = (v: unknown): boolean => typeof v === 'string' && /\{\{[\s\S]*\}\}/.test(v);

/** The schema's main type, unwrapping `anyOf` with null (optional/nullable fields). */
export function schemaType(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) {
    const nonNull = alts.filter((a) => a.type !== 'null');
    if (nonNull.length === 1 && nonNull[0]) return schemaType(nonNull[0]);
  }
  if (schema.enum) return 'enum';
  if (schema.properties) return 'object';
  return undefined;
}

/** Unwraps `anyOf: [X, {type: null}]` to X. */
export function unwrap(schema: JsonSchema): JsonSchema {
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) {
    const nonNull = alts.filter((a) => a.type !== 'null');
    const only = nonNull[0];
    if (nonNull.length === 1 && only) {
      const merged: JsonSchema = { ...only };
      const description = schema.description ?? only.description;
      const fallback = schema.default ?? only.default;
      if (description !== undefined) merged.description = description;
      if (fallback !== undefined) merged.default = fallback;
      return merged;
    }
  }
  return schema;
}

function checkValue(schema: JsonSchema, value: JsonValue | undefined, path: string, out: Map<string, string>): void {
  if (value === undefined || value === null || isExpression(value)) return;
  const s = unwrap(schema);
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    out.set(path, `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    return;
  }
  switch (schemaType(s)) {
    case 'string':
      if (typeof value !== 'string') return void out.set(path, 'must be text');
      if (s.minLength !== undefined && value.length < s.minLength) return void out.set(path, s.minLength === 1 ? 'is required' : `at least ${s.minLength} characters`);
      if (s.maxLength !== undefined && value.length > s.maxLength) return void out.set(path, `at most ${s.maxLength} characters`);
      if (s.pattern) {
        try {
          if (!new RegExp(s.pattern, 'u').test(value)) out.set(path, `does not match the expected format`);
        } catch {
          // an unsupported pattern is the server's to check
        }
      }
      if (s.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) out.set(path, 'must be a URL such as https://example.com');
      return;
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return void out.set(path, 'must be a number');
      if (schemaType(s) === 'integer' && !Number.isInteger(value)) return void out.set(path, 'must be a whole number');
      if (s.minimum !== undefined && value < s.minimum) return void out.set(path, `must be ≥ ${s.minimum}`);
      if (s.maximum !== undefined && value > s.maximum) out.set(path, `must be ≤ ${s.maximum}`);
      if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) out.set(path, `must be > ${s.exclusiveMinimum}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.set(path, 'must be true or false');
      return;
    case 'array':
      if (!Array.isArray(value)) return void out.set(path, 'must be a list');
      if (s.items) value.forEach((item, i) => checkValue(s.items as JsonSchema, item, `${path}.${i}`, out));
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) return void out.set(path, 'must be an object');
      validateObject(s, value, path, out);
      return;
    default:
      return;
  }
}

function validateObject(schema: JsonSchema, value: { [k: string]: JsonValue }, prefix: string, out: Map<string, string>): void {
  for (const key of schema.required ?? []) {
    const v = value[key];
    const prop = schema.properties?.[key];
    if ((v === undefined || v === '') && prop?.default === undefined) out.set(prefix ? `${prefix}.${key}` : key, 'is required');
  }
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    checkValue(prop, value[key], prefix ? `${prefix}.${key}` : key, out);
  }
}

/** Problems by dotted path (relative to the params object). */
export function validateParams(schema: JsonSchema | undefined, params: { [k: string]: JsonValue }): Map<string, string> {
  const out = new Map<string, string>();
  if (schema) validateObject(unwrap(schema), params, '', out);
  return out;
}
