import { createHash } from 'node:crypto';
import { ErrorCode, OperationalError } from '@outrun/schemas';

/** A 32-byte key as accepted by the stores: raw bytes, 64 hex characters or base64 of 32 bytes. */
export type EncryptionKeyInput = Buffer | string;

/**
 * Parses an AES-256 key.
 * @throws OperationalError(ENCRYPTION_KEY) when it is not exactly 32 bytes.
 */
export function parseEncryptionKey(input: EncryptionKeyInput): Buffer {
  let key: Buffer | undefined;
  if (Buffer.isBuffer(input)) key = input;
  else {
    const text = input.trim();
    if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
    else if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(text)) key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  }
  if (key?.length !== 32) {
    throw new OperationalError(ErrorCode.ENCRYPTION_KEY, 'The encryption key must be 32 bytes, given as 64 hex characters or base64 (OUTRUN_ENCRYPTION_KEY).');
  }
  return key;
}

/** Key id stored with every secret: the first 8 hex characters of sha256(key). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
