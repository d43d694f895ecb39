import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const API_KEY_PATTERN = /^out_([A-Za-z0-9]{8})_([A-Za-z0-9]{32})$/;

function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

/** A fresh API key: the secret (shown once), its visible prefix and what is stored (salt + HMAC-SHA256). */
export function generateApiKey(): { secret: string; prefix: string; salt: Buffer; hash: Buffer } {
  const prefix = randomBase62(8);
  const secret = `out_${prefix}_${randomBase62(32)}`;
  const salt = randomBytes(16);
  return { secret, prefix, salt, hash: hashApiKey(secret, salt) };
}

/** HMAC-SHA256 of the whole secret under its per-key salt. */
export function hashApiKey(secret: string, salt: Buffer): Buffer {
  return createHmac('sha256', salt).update(secret, 'utf8').digest();
}

/** The prefix of a well-formed key, or null. */
export function apiKeyPrefix(secret: string): string | null {
  return API_KEY_PATTERN.exec(secret)?.[1] ?? null;
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function apiKeyMatches(secret: string, salt: Buffer, hash: Buffer): boolean {
  const presented = hashApiKey(secret, salt);
  return presented.length === hash.length && timingSafeEqual(presented, hash);
}
