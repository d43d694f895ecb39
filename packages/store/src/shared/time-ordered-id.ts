import { randomFillSync } from 'node:crypto';

const bytes = Buffer.alloc(16);

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Run ids are keys of a unique index on
 * every insert; time-ordered ids land at the index's right edge instead of a random leaf, so each new run dirties
 * one hot page instead of a cold one (random UUIDv4 ids cost a cache miss per insert once the index outgrows the
 * page cache). Still unguessable enough for ids that are never secrets.
 */
export function timeOrderedId(nowMs: number = Date.now()): string {
  randomFillSync(bytes);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
