import { ErrorCode } from '@outrun/schemas';
import type { ValidationProblem } from '../types';

/** Deepest nesting accepted in a node's `data` (`data` itself is level 1). */
export const MAX_DATA_DEPTH = 64;
/** Keys that could reach an object's prototype when data is merged naively downstream. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Containers walked per node before giving up (guards against shared-reference blow-ups). */
const MAX_VISITS = 200_000;

/** A string value holding `{{ }}` found while walking, with its path relative to `data`. */
export interface TemplateLocation {
  path: PropertyKey[];
  value: string;
}

export interface DataCheck {
  problems: ValidationProblem[];
  templates: TemplateLocation[];
}

interface Frame {
  value: object;
  path: PropertyKey[];
  depth: number;
}

/**
 * Walks `data` iteratively (no recursion, so hostile nesting cannot overflow the stack), reporting
 * nesting beyond {@link MAX_DATA_DEPTH} and forbidden keys, and collecting template strings.
 * @param base path prefix of `data`, e.g. `nodes.3.data`
 */
export function checkData(data: object, base: string, nodeId: string | undefined): DataCheck {
  const problems: ValidationProblem[] = [];
  const templates: TemplateLocation[] = [];
  const seen = new Set<object>();
  const stack: Frame[] = [{ value: data, path: [], depth: 1 }];
  let tooDeep = false;
  const at = (path: PropertyKey[]): string => (path.length === 0 ? base : `${base}.${path.map(String).join('.')}`);
  const problem = (code: string, path: PropertyKey[], message: string): void => {
    const p: ValidationProblem = { code, path: at(path), message };
    if (nodeId !== undefined) p.nodeId = nodeId;
    problems.push(p);
  };
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (seen.has(frame.value) || seen.size > MAX_VISITS) continue;
    seen.add(frame.value);
    const isArray = Array.isArray(frame.value);
    const keys = isArray ? Array.from((frame.value as unknown[]).keys()) : Object.keys(frame.value);
    for (const key of keys) {
      if (!isArray && FORBIDDEN_KEYS.has(key as string)) {
        problem(ErrorCode.FORBIDDEN_KEY, [...frame.path, key], `Key "${String(key)}" is not allowed in node data`);
        continue;
      }
      const child = (frame.value as Record<PropertyKey, unknown>)[key];
      if (typeof child === 'string') {
        if (child.includes('{{')) templates.push({ path: [...frame.path, key], value: child });
      } else if (child !== null && typeof child === 'object') {
        if (frame.depth + 1 > MAX_DATA_DEPTH) {
          if (!tooDeep) problem(ErrorCode.TOO_DEEP, [...frame.path, key], `Node data nests deeper than ${MAX_DATA_DEPTH} levels`);
          tooDeep = true;
          continue;
        }
        stack.push({ value: child, path: [...frame.path, key], depth: frame.depth + 1 });
      }
    }
  }
  return { problems, templates };
}
