/**
 * Dotted paths (`customer.address.city`, `items.0.id`) into JSON values: read and write.
 * Keys that could reach an object prototype are refused.
 */
import type { JsonValue } from '@outrun/schemas';

/** Path segments that must never be written (prototype pollution). */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** Splits a dotted path; `''` is the value itself. */
export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

/** True when the path is non-empty-segmented and free of forbidden keys. */
export function isSafePath(path: string): boolean {
  const segments = splitPath(path);
  return segments.length > 0 && segments.every((s) => s !== '' && !FORBIDDEN_SEGMENTS.has(s));
}

/** Reads the value at `path` (`undefined` when any segment is missing). */
export function getPath(value: JsonValue | undefined, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const segment of splitPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    } else {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    }
  }
  return current;
}

type JsonObject = { [key: string]: JsonValue };
const isObject = (value: JsonValue | undefined): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Writes `value` at `path` inside `target`: `target` itself is mutated, every container below it on
 * the path is replaced by a shallow copy first (intermediate objects are created), so nested values
 * `target` shares with other data (the node's input, cached params) are never modified.
 */
export function setPath(target: JsonObject, path: string, value: JsonValue): void {
  const segments = splitPath(path);
  const last = segments.pop();
  if (last === undefined || !isSafePath(path)) throw new Error(`unsafe or empty path: ${path}`);
  let current: JsonObject | JsonValue[] = target;
  for (const segment of segments) {
    const next: JsonValue | undefined = Array.isArray(current) ? current[Number(segment)] : current[segment];
    const container: JsonObject | JsonValue[] = isObject(next) ? { ...next } : Array.isArray(next) ? next.slice() : {};
    if (Array.isArray(current)) current[Number(segment)] = container;
    else current[segment] = container;
    current = container;
  }
  if (Array.isArray(current) && /^\d+$/.test(last)) current[Number(last)] = value;
  else if (!Array.isArray(current)) current[last] = value;
  else throw new Error(`cannot set non-index key ${last} on an array at ${path}`);
}
