import type { TruncatedValue } from '@outrun/schemas';

/** Default limit of one step input or output as stored. */
export const DEFAULT_MAX_STEP_BYTES = 256 * 1024;
/** Characters of JSON kept in a truncation marker. */
export const TRUNCATION_PREVIEW_CHARS = 1024;

/**
 * Serialises a value for storage; above `maxBytes` of JSON it becomes a {@link TruncatedValue} marker carrying the
 * original size and a preview. `undefined` stays `null` (column absent).
 */
export function toStoredJson(value: unknown, maxBytes: number): string | null {
  if (value === undefined) return null;
  const json = JSON.stringify(value);
  if (json === undefined) return null;
  // A UTF-16 code unit takes at most 3 UTF-8 bytes: skip the byte count for obviously small values.
  if (json.length * 3 <= maxBytes) return json;
  const originalBytes = Buffer.byteLength(json, 'utf8');
  if (originalBytes <= maxBytes) return json;
  return JSON.stringify(truncatedMarker(json, originalBytes));
}

/** The marker stored in place of a value of `originalBytes` bytes of JSON. */
export function truncatedMarker(json: string, originalBytes: number): TruncatedValue {
  return { __truncated: true, originalBytes, preview: json.slice(0, TRUNCATION_PREVIEW_CHARS) };
}

/** Same as {@link toStoredJson} but returns the value to embed (MongoDB documents). */
export function toStoredValue(value: unknown, maxBytes: number): { value: unknown; bytes: number } {
  const json = toStoredJson(value, maxBytes);
  if (json === null) return { value: undefined, bytes: 0 };
  return { value: JSON.parse(json) as unknown, bytes: Buffer.byteLength(json, 'utf8') };
}
