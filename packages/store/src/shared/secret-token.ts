import { createHash, randomBytes } from 'node:crypto';

/** A fresh 256-bit secret for a cookie or a link (base64url) and what is stored: its SHA-256 (hex). */
export function generateSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

/** SHA-256 of a high-entropy token: no salt or slow hash is needed for 256 random bits; the lookup is by hash. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** How often a session's idle expiry is pushed forward (a write per request would serialise the API). */
export const SESSION_TOUCH_RESOLUTION_MS = 60_000;

/** `iso` + `ms`, as ISO. */
export const addMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
