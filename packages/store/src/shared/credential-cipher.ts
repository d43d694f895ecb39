import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ErrorCode, OperationalError, type JsonObject } from '@outrun/schemas';
import { keyId, parseEncryptionKey, type EncryptionKeyInput } from './encryption-key';

/** Encrypts credential data with AES-256-GCM; decrypts with the current key or any older one (rotation). */
export interface CredentialCipher {
  /** `v1.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts). `aad` binds the secret to its row. */
  encrypt(data: JsonObject, aad: string): string;
  decrypt(sealed: string, aad: string): JsonObject;
}

/** @param oldKeys keys of earlier rotations, accepted for decryption only. */
export function createCredentialCipher(key: EncryptionKeyInput, oldKeys: EncryptionKeyInput[] = []): CredentialCipher {
  const current = parseEncryptionKey(key);
  const currentId = keyId(current);
  const byId = new Map<string, Buffer>([[currentId, current]]);
  for (const old of oldKeys) {
    const k = parseEncryptionKey(old);
    if (!byId.has(keyId(k))) byId.set(keyId(k), k);
  }
  return {
    encrypt(data, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
      return ['v1', currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    decrypt(sealed, aad) {
      const [version, kid, iv, tag, ciphertext] = sealed.split('.');
      const k = kid === undefined ? undefined : byId.get(kid);
      if (version !== 'v1' || !k || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new OperationalError(ErrorCode.ENCRYPTION_KEY, `Cannot decrypt a credential sealed with key id "${kid ?? '?'}": configure that key (OUTRUN_ENCRYPTION_KEY or an old key).`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as JsonObject;
      } catch (cause) {
        throw new OperationalError(ErrorCode.ENCRYPTION_KEY, 'A credential failed its integrity check (wrong key or tampered data).', { cause });
      }
    },
  };
}
