import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from './api-key';
import { createCredentialCipher } from './credential-cipher';
import { decodeCursor, encodeCursor, pageLimit } from './cursor';
import { matchesFilter } from './data-filter';
import { keyId, parseEncryptionKey } from './encryption-key';
import { timeOrderedId } from './time-ordered-id';
import { toStoredJson } from './truncate';

describe('credential cipher', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  it('seals with the current key id and opens after rotation with the old key configured', () => {
    const sealed = createCredentialCipher(k1).encrypt({ token: 'secret' }, 'credential:ws:1');
    expect(sealed.split('.')[1]).toBe(keyId(k1));
    expect(sealed).not.toContain('secret');
    const rotated = createCredentialCipher(k2, [k1]);
    expect(rotated.decrypt(sealed, 'credential:ws:1')).toEqual({ token: 'secret' });
    expect(rotated.encrypt({ a: 1 }, 'x').split('.')[1]).toBe(keyId(k2));
  });
  it('refuses an unknown key, another row (AAD) and tampered data', () => {
    const sealed = createCredentialCipher(k1).encrypt({ token: 'secret' }, 'credential:ws:1');
    expect(() => createCredentialCipher(k2).decrypt(sealed, 'credential:ws:1')).toThrow(expect.objectContaining({ code: 'OUT_ERR_ENCRYPTION_KEY' }) as Error);
    expect(() => createCredentialCipher(k1).decrypt(sealed, 'credential:ws:2')).toThrow(/integrity/);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => createCredentialCipher(k1).decrypt(parts.join('.'), 'credential:ws:1')).toThrow(/integrity/);
  });
  it('accepts 32-byte keys as hex, base64 or bytes only', () => {
    expect(parseEncryptionKey(k1.toString('hex'))).toEqual(k1);
    expect(parseEncryptionKey(k1.toString('base64'))).toEqual(k1);
    expect(() => parseEncryptionKey('abc')).toThrow(expect.objectContaining({ code: 'OUT_ERR_ENCRYPTION_KEY' }) as Error);
    expect(() => parseEncryptionKey(randomBytes(16))).toThrow();
  });
});

describe('api keys', () => {
  it('has the out_<prefix>_<random> shape and matches only itself', () => {
    const k = generateApiKey();
    expect(apiKeyPrefix(k.secret)).toBe(k.prefix);
    expect(apiKeyMatches(k.secret, k.salt, k.hash)).toBe(true);
    expect(apiKeyMatches(generateApiKey().secret, k.salt, k.hash)).toBe(false);
    expect(apiKeyPrefix('out_short_x')).toBeNull();
  });
});

describe('cursors, limits, truncation, filters', () => {
  it('round-trips cursors and rejects forged ones', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', 'id']), ['string', 'string'])).toEqual(['2026-01-01T00:00:00.000Z', 'id']);
    expect(() => decodeCursor(encodeCursor([1]), ['string'])).toThrow(expect.objectContaining({ code: 'OUT_ERR_VALIDATION' }) as Error);
    expect([pageLimit(undefined), pageLimit(0), pageLimit(10_000), pageLimit(7)]).toEqual([50, 1, 500, 7]);
  });
  it('keeps values up to the limit and replaces larger ones with a marker', () => {
    expect(toStoredJson({ a: 'é'.repeat(10) }, 100)).toBe(JSON.stringify({ a: 'é'.repeat(10) }));
    const marker = JSON.parse(toStoredJson({ a: 'é'.repeat(100) }, 100)!) as Record<string, unknown>;
    expect(marker).toMatchObject({ __truncated: true, originalBytes: Buffer.byteLength(JSON.stringify({ a: 'é'.repeat(100) })) });
    expect(toStoredJson(undefined, 10)).toBeNull();
  });
  it('matches equality filters on dotted paths structurally', () => {
    const doc = { a: { b: 1, c: [1, { d: 2 }] }, s: 'x', n: null };
    expect(matchesFilter(doc, { 'a.b': 1, s: 'x' })).toBe(true);
    expect(matchesFilter(doc, { 'a.c': [1, { d: 2 }], n: null })).toBe(true);
    expect(matchesFilter(doc, { 'a.b': '1' })).toBe(false);
    expect(matchesFilter(doc, { 'a.missing': null })).toBe(false);
  });
});

describe('time-ordered ids (UUIDv7)', () => {
  it('are RFC 9562 version 7 with the millisecond time first, unique, and sort by time', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(timeOrderedId(at + 1) > timeOrderedId(at)).toBe(true);
    expect(new Set(Array.from({ length: 10_000 }, () => timeOrderedId(at))).size).toBe(10_000);
  });

  it('made in the same millisecond, sort in creation order (ties of anything ordered by time, then id)', () => {
    const at = Date.UTC(2026, 11, 4, 12, 0, 0, 0);
    const ids = Array.from({ length: 1_000 }, () => timeOrderedId(at));
    expect([...ids].sort()).toEqual(ids);
  });
});
