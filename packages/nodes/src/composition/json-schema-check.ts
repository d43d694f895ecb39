/**
 * A small, bounded JSON Schema checker for forms and workflow input schemas written by workflow authors (hostile
 * input): an interpreter (no code generation), a size cap on the schema, a depth cap on the value walk and an
 * issue cap. `pattern` is not supported (regular expressions from authors are a ReDoS risk here); unknown
 * keywords are ignored. Supported: type, properties, required, additionalProperties (boolean), items, enum,
 * const, minLength, maxLength, minimum, maximum, minItems, maxItems, title/description (ignored).
 */
import type { JsonValue } from '@outrun/schemas';

export interface SchemaIssue {
  path: string;
  message: string;
}

/** Largest schema accepted (JSON characters). */
export const MAX_SCHEMA_CHARS = 64 * 1024;
const MAX_DEPTH = 32;
const MAX_ISSUES = 20;

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: unknown, actual: string): boolean {
  const list = Array.isArray(expected) ? expected : [expected];
  return list.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/** Why a schema cannot be used (too big, not an object), or undefined when it can. */
export function schemaProblem(schema: unknown): string | undefined {
  if (!isObject(schema)) return 'the schema must be a JSON object';
  if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS) return `the schema is larger than ${MAX_SCHEMA_CHARS} characters`;
  return undefined;
}

/** Checks `value` against `schema`; returns at most 20 issues (empty = valid). `root` prefixes paths. */
export function checkJsonSchema(schema: unknown, value: JsonValue | undefined, root = 'value'): SchemaIssue[] {
  const problem = schemaProblem(schema);
  if (problem !== undefined) return [{ path: root, message: problem }];
  const issues: SchemaIssue[] = [];
  const add = (path: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
  };
  const walk = (s: Schema, v: unknown, path: string, depth: number): void => {
    if (issues.length >= MAX_ISSUES) return;
    if (depth > MAX_DEPTH) return add(path, 'nested too deeply');
    if (s.type !== undefined && !typeMatches(s.type, typeOf(v))) return add(path, `must be ${Array.isArray(s.type) ? s.type.join(' or ') : String(s.type)}`);
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) add(path, `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ').slice(0, 200)}`);
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v)) add(path, `must be ${JSON.stringify(s.const).slice(0, 100)}`);
    if (typeof v === 'string') {
      const length = [...v].length;
      if (typeof s.minLength === 'number' && length < s.minLength) add(path, `must have at least ${s.minLength} characters`);
      if (typeof s.maxLength === 'number' && length > s.maxLength) add(path, `must have at most ${s.maxLength} characters`);
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) add(path, `must be ≥ ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) add(path, `must be ≤ ${s.maximum}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) add(path, `must have at least ${s.minItems} items`);
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) add(path, `must have at most ${s.maxItems} items`);
      if (isObject(s.items)) for (let i = 0; i < v.length && issues.length < MAX_ISSUES; i++) walk(s.items, v[i], `${path}.${i}`, depth + 1);
    }
    if (isObject(v)) {
      const properties = isObject(s.properties) ? s.properties : {};
      if (Array.isArray(s.required)) for (const key of s.required) if (typeof key === 'string' && !Object.hasOwn(v, key)) add(`${path}.${key}`, 'is required');
      for (const [key, child] of Object.entries(v)) {
        const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
        if (isObject(sub)) walk(sub, child, `${path}.${key}`, depth + 1);
        else if (sub === undefined && s.additionalProperties === false) add(`${path}.${key}`, 'is not allowed');
      }
    }
  };
  walk(schema as Schema, value, root, 0);
  return issues;
}
