import type { IncomingMessage } from 'node:http';
import { ErrorCode, type JsonValue } from '@outrun/schemas';

/** JSON nested deeper than this is rejected (protects the engine and the store from pathological payloads). */
export const MAX_JSON_DEPTH = 64;

export type ReadBodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true };

/**
 * Reads the raw body up to `limit` bytes. Rejects early on a larger Content-Length; stops buffering (but
 * keeps draining, so the 413 can still be written) once the limit is passed.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBodyResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.resolve({ ok: false, tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { ok: false, tooLarge: true } : { ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) }));
    req.on('error', reject);
  });
}

export type ParseBodyResult = { ok: true; value: JsonValue } | { ok: false; code: string; message: string };

/** True when `value` nests deeper than `max` levels of objects/arrays. */
export function exceedsDepth(value: unknown, max: number): boolean {
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') return false;
    if (depth > max) return true;
    if (Array.isArray(v)) {
      for (const item of v) if (walk(item, depth + 1)) return true;
      return false;
    }
    for (const key in v) if (walk((v as Record<string, unknown>)[key], depth + 1)) return true;
    return false;
  };
  return walk(value, 1);
}

/**
 * Groups pairs in a Map, not a plain object: `out[key]` on an object reads inherited members (`constructor`,
 * `toString`) as existing values and `__proto__` sets the prototype, so those keys were recorded wrongly or lost.
 */
function parseForm(text: string): Record<string, JsonValue> {
  const grouped = new Map<string, string | string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = grouped.get(key);
    if (existing === undefined) grouped.set(key, value);
    else if (Array.isArray(existing)) existing.push(value);
    else grouped.set(key, [existing, value]);
  }
  return Object.fromEntries(grouped);
}

/**
 * Decodes a body by its Content-Type: JSON (`application/json`, `*+json`), form (`x-www-form-urlencoded`),
 * anything else as UTF-8 text. An empty body is `null`.
 */
export function parseBody(contentType: string | undefined, raw: Buffer): ParseBodyResult {
  if (raw.length === 0) return { ok: true, value: null };
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) {
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      return { ok: false, code: ErrorCode.INVALID_JSON, message: 'The body is not valid JSON.' };
    }
    if (exceedsDepth(value, MAX_JSON_DEPTH)) {
      return { ok: false, code: ErrorCode.TOO_DEEP, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels.` };
    }
    return { ok: true, value: value as JsonValue };
  }
  if (type === 'application/x-www-form-urlencoded') return { ok: true, value: parseForm(raw.toString('utf8')) };
  return { ok: true, value: raw.toString('utf8') };
}

/** Query string → object (repeated keys become arrays). */
export function parseQuery(search: string): Record<string, JsonValue> {
  return search === '' ? {} : parseForm(search);
}
