import { ErrorCode, UserError, type DataChangeEvent, type DataOperation, type JsonObject, type JsonValue } from '@outrun/schemas';

/** The value at a dotted path of a document, or undefined. */
export function valueAtPath(doc: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as JsonObject)[part];
  }
  return current;
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEquals(v, b[i]));
  const ka = Object.keys(a as JsonObject);
  const kb = Object.keys(b as JsonObject);
  return ka.length === kb.length && ka.every((k) => jsonEquals((a as JsonObject)[k], (b as JsonObject)[k]));
}

/** True when every dotted path of `filter` equals the document's value there. */
export function matchesFilter(doc: JsonObject, filter: JsonObject): boolean {
  return Object.entries(filter).every(([path, expected]) => jsonEquals(valueAtPath(doc, path), expected));
}

/** True when a change event passes the feed's workspace, collection and operation filters. */
export function matchesFeed(event: Pick<DataChangeEvent, 'workspaceId' | 'collection' | 'operation'>, options: { workspaceId?: string; collection?: string; operations?: DataOperation[] }): boolean {
  if (options.workspaceId !== undefined && event.workspaceId !== options.workspaceId) return false;
  if (options.collection !== undefined && event.collection !== options.collection) return false;
  return options.operations === undefined || options.operations.includes(event.operation);
}

/**
 * Checks an equality filter of `data.find` (the API's `?filter=`): keys are dotted paths of plain field names.
 * A key with a `$`-prefixed or empty segment is rejected (400 naming it); values are always compared as literal
 * JSON values, never read as query operators, on every adapter.
 * @throws UserError(OUT_ERR_VALIDATION, 400) with `details[0].path` = `${field}.${key}`
 */
export function checkDataFilter(filter: JsonObject, field = 'filter'): void {
  for (const key of Object.keys(filter)) {
    if (key.split('.').some((part) => part === '' || part.startsWith('$'))) {
      throw new UserError(ErrorCode.VALIDATION, `Invalid filter key "${key}": use dotted field names; operators are not supported (values are compared for equality).`, 400, {
        details: [{ path: `${field}.${key}`, message: 'segments must be non-empty and must not start with $' }],
      });
    }
  }
}
