/** Normalises a JavaScript value into plain JSON (drops `undefined`, functions; JSONata sequences → arrays). */
import type { JsonValue } from '@outrun/schemas';

export function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
