import { ErrorCode, UserError } from '@outrun/schemas';

/** Default and maximum page sizes of every list (API.md, "Conventions"). */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** Clamps a requested page size to 1..500 (default 50). */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_LIMIT;
  return Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Encodes the sort key of the last item of a page as an opaque cursor. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} whose key has the given element types.
 * @throws UserError(VALIDATION, 400) for anything else: a cursor is opaque, a forged one is bad input.
 */
export function decodeCursor<T extends Array<'string' | 'number'>>(cursor: string, types: T): { [K in keyof T]: T[K] extends 'string' ? string : number } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const ok = Array.isArray(key) && key.length === types.length && key.every((v, i) => typeof v === types[i]);
  if (!ok) throw new UserError(ErrorCode.VALIDATION, 'Invalid cursor.', 400, { details: [{ path: 'cursor', message: 'not a cursor of this list' }] });
  return key as { [K in keyof T]: T[K] extends 'string' ? string : number };
}
