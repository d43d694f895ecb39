import type { JsonObject, JsonValue } from '@outrun/schemas';

function valueAt(document: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = document;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[part];
  }
  return current;
}

function deepEqual(a: JsonValue | undefined, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === undefined || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i] as JsonValue));
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(bo);
  return keys.length === Object.keys(ao).length && keys.every((k) => deepEqual(ao[k], bo[k] as JsonValue));
}

/** Equality filter of a `data_change` trigger: every (dotted) path equals the given value; `{}` matches all. */
export function matchesFilter(document: JsonObject | undefined, filter: JsonObject): boolean {
  for (const path in filter) {
    if (!document || !deepEqual(valueAt(document, path), filter[path] as JsonValue)) return false;
  }
  return true;
}
