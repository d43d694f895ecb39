import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './open';

describe('openStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outrun-open-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens SQLite in the data dir and generates a 0600 key file once', async () => {
    const dataDir = join(dir, 'nested', '.outrun');
    const store = await openStore({ dataDir });
    const key = (await readFile(join(dataDir, 'encryption.key'), 'utf8')).trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, 'encryption.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'outrun.db')).isFile()).toBe(true);
    const cred = await store.credentials.create('ws', { name: 'c', type: 'generic', data: { a: 'b' } });
    await store.close();
    // a second start reads the same key and can decrypt
    const again = await openStore({ dataDir });
    expect((await readFile(join(dataDir, 'encryption.key'), 'utf8')).trim()).toBe(key);
    expect(await again.credentials.getSecret('ws', cred.id)).toEqual({ a: 'b' });
    await again.close();
  });

  it('requires an encryption key with MongoDB (before connecting)', async () => {
    await expect(openStore({ dataDir: dir, mongoUri: 'mongodb://127.0.0.1:1/outrun' })).rejects.toMatchObject({ code: 'OUT_ERR_ENCRYPTION_KEY' });
  });

  it('reports an unreachable MongoDB as STORE_UNAVAILABLE', async () => {
    const { createMongoStore } = await import('./mongo/create-mongo-store');
    await expect(createMongoStore({ uri: 'mongodb://127.0.0.1:1/outrun', encryptionKey: 'a'.repeat(64), serverSelectionTimeoutMs: 300 })).rejects.toMatchObject({ code: 'OUT_ERR_STORE_UNAVAILABLE' });
  });
});
