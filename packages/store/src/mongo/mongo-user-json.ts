import { BSON } from 'mongodb';

/**
 * User JSON (step inputs and outputs) may hold keys MongoDB cannot take inside update operators: `$`-prefixed
 * names, and dotted ones (which `$set` would read as paths). Such a value is stored as its JSON text under one
 * marker key and decoded on read, so every value reads back exactly as written.
 */
const ENCODED = '__outrunJson';

function hasUnsafeKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasUnsafeKey);
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('$') || key.includes('.') || key === ENCODED || hasUnsafeKey(inner)) return true;
  }
  return false;
}

/** The form to embed in an update. */
export const encodeUserJson = (value: unknown): unknown => (hasUnsafeKey(value) ? { [ENCODED]: JSON.stringify(value) } : value);

/** The value as written. */
export function decodeUserJson(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const encoded = (value as Record<string, unknown>)[ENCODED];
    if (typeof encoded === 'string' && Object.keys(value).length === 1) return JSON.parse(encoded) as unknown;
  }
  return value;
}

/** BSON bytes a value takes when embedded as a field (what counts against the 16 MiB document limit). */
export const bsonBytes = (value: unknown): number => (value === undefined ? 0 : BSON.calculateObjectSize({ v: value }));
