import { ErrorCode, UserError } from '@outrun/schemas';
import { builtinsLoaded, builtinsReady, checkResult } from './bounded-builtins';
import { compileExpression, describeJsonataError } from './compile-expression';
import { parseTemplate } from './parse-template';
import { toJsonValue } from './to-json-value';

/** What `{{ }}` expressions see: the node's input, the trigger payload and earlier steps' outputs. */
export interface TemplateScope {
  input: unknown;
  trigger: unknown;
  steps: Readonly<Record<string, unknown>>;
}

/** Nesting deeper than this in node parameters is refused rather than walked. */
const MAX_DEPTH = 100;

const SIMPLE_PATH = /^\s*(input|trigger|steps)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;
const pathCache = new Map<string, string[] | null>();

/** Segments of a plain dotted path such as `input.user.name`, or null when JSONata must evaluate it. */
function simplePath(source: string): string[] | null {
  let segments = pathCache.get(source);
  if (segments !== undefined) return segments;
  const m = SIMPLE_PATH.exec(source);
  segments = m ? [m[1] as string, ...(m[2] ? (m[2] as string).slice(1).split('.') : [])] : null;
  if (pathCache.size > 10_000) pathCache.clear();
  pathCache.set(source, segments);
  return segments;
}

const NOT_SIMPLE = Symbol('not-simple');

/**
 * Looks a dotted path up directly when every step is a plain object and the result is not an array,
 * which is exactly when JSONata's sequence semantics give the same answer. Saves an async evaluation.
 */
function lookupSimple(segments: string[], scope: TemplateScope): unknown {
  let value: unknown = scope;
  for (const key of segments) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return NOT_SIMPLE;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) || (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) ? NOT_SIMPLE : value;
}

function expressionError(source: string, offset: number, err: unknown, path: string | undefined): UserError {
  const { message, position, code } = describeJsonataError(err);
  const at = position === undefined ? '' : ` at position ${position}`;
  const where = path ? ` (in ${path})` : '';
  return new UserError(ErrorCode.EXPRESSION, `Expression {{${source}}} failed${at}${where}: ${message}${code ? ` [${code}]` : ''}`, 400, {
    details: [{ path: path ?? '', message: `position ${position ?? '?'} (character ${offset + (position ?? 0)} of the template): ${message}`, code: ErrorCode.EXPRESSION }],
  });
}

/** Evaluates one expression source against the scope; failures become OUT_ERR_EXPRESSION user errors. */
async function evaluatePart(source: string, offset: number, scope: TemplateScope, path: string | undefined): Promise<unknown> {
  const segments = simplePath(source);
  if (segments !== null) {
    const v = lookupSimple(segments, scope);
    if (v !== NOT_SIMPLE) return v;
  }
  if (!builtinsLoaded()) await builtinsReady;
  const compiled = compileExpression(source);
  if (!compiled.ok) throw expressionError(source, offset, compiled, path);
  try {
    return checkResult(await compiled.expression.evaluate(scope));
  } catch (err) {
    throw expressionError(source, offset, err, path);
  }
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Evaluates a parameter string. No `{{ }}` → returned unchanged; exactly one template → its raw value
 * (number, object, array…); templates mixed with text → a string, objects JSON-stringified.
 * @throws UserError OUT_ERR_EXPRESSION with the expression and position
 */
export async function evaluateTemplate(template: string, scope: TemplateScope, path?: string): Promise<unknown> {
  const parsed = parseTemplate(template);
  if (parsed === null) return template;
  if (parsed.single) {
    const part = parsed.parts.find((p) => p.kind === 'expr');
    if (part?.kind === 'expr') return toJsonValue(await evaluatePart(part.source, part.offset, scope, path));
  }
  let out = '';
  for (const part of parsed.parts) {
    out += part.kind === 'text' ? part.text : stringify(toJsonValue(await evaluatePart(part.source, part.offset, scope, path)));
  }
  return out;
}

async function resolveValue(value: unknown, scope: TemplateScope, path: string, depth: number): Promise<unknown> {
  if (typeof value === 'string') return value.includes('{{') ? evaluateTemplate(value, scope, path) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw new UserError(ErrorCode.TOO_DEEP, `Parameters nest deeper than ${MAX_DEPTH} levels at ${path}`);
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = await resolveValue(value[i], scope, `${path}.${i}`, depth + 1);
      out[i] = v === undefined ? null : v;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = await resolveValue((value as Record<string, unknown>)[key], scope, path === '' ? key : `${path}.${key}`, depth + 1);
    // An expression yielding nothing leaves the key out, so the node schema's default applies.
    if (v !== undefined) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Evaluates every `{{ }}` string in a node's `data` (deeply), returning a new object; `data` is not
 * modified. Keys whose single template yields `undefined` are dropped.
 * @param pathPrefix prefix for error paths. @default "data"
 * @throws UserError OUT_ERR_EXPRESSION naming the failing parameter's path
 */
export async function resolveParams(data: Readonly<Record<string, unknown>>, scope: TemplateScope, pathPrefix = 'data'): Promise<Record<string, unknown>> {
  return (await resolveValue(data, scope, pathPrefix, 0)) as Record<string, unknown>;
}

/** True when any string inside `value` holds a `{{ }}` template. */
export function containsTemplates(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('{{') && parseTemplate(value) !== null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.some((v) => containsTemplates(v, depth + 1));
  for (const key of Object.keys(value)) if (containsTemplates((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/** `data` without the node's literal params (`NodeDefinition.literalParams`): what templates are looked for in. */
export function templatedPart(data: Readonly<Record<string, unknown>>, literalParams: readonly string[] | undefined): Readonly<Record<string, unknown>> {
  if (!literalParams || literalParams.length === 0) return data;
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (!literalParams.includes(key)) rest[key] = data[key];
  return rest;
}
