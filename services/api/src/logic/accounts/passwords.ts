/**
 * Password hashing: argon2id through `@node-rs/argon2` (prebuilt N-API binaries; hashing runs on libuv's thread
 * pool, off the event loop). Parameters: OWASP's argon2id baseline, m = 19 MiB, t = 2, p = 1 (≈ 0.1 s here).
 */
import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, not importable under verbatimModuleSyntax). */
const ARGON2ID = 2;

export const ARGON2_PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Passwords: 10 to 256 characters (long passphrases welcome; a bound keeps hashing cost bounded). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

/** A hash of nothing anyone knows, verified when the email is unknown so both answers take the same time. */
let dummy: Promise<string> | undefined;

/** Constant-time (argon2's own comparison); a missing hash still costs one verification. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummy ??= hashPassword('outrun-no-such-user-password');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
