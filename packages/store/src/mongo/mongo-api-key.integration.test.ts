import { randomBytes } from 'node:crypto';
import { startTestMongo, uniqueDbName, type TestMongo } from '@outrun/testing/mongo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as ApiKeyModule from '../shared/api-key';
import { createMongoStore } from './create-mongo-store';

// The first two keys drawn share one prefix: the second creation must draw again, not fail on the unique index.
vi.mock('../shared/api-key', async (importOriginal) => {
  const actual = await importOriginal<typeof ApiKeyModule>();
  let calls = 0;
  return {
    ...actual,
    generateApiKey: () => {
      const key = actual.generateApiKey();
      calls++;
      if (calls > 2) return key;
      const secret = `out_SAMEPREF_${key.secret.slice(-32)}`;
      return { secret, prefix: 'SAMEPREF', salt: key.salt, hash: actual.hashApiKey(secret, key.salt) };
    },
  };
});

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await startTestMongo();
});
afterAll(async () => {
  await mongo.close();
});

describe('mongo API keys', () => {
  it('an API-key prefix collision draws a new key instead of surfacing a duplicate-key error', async () => {
    const store = await createMongoStore({ uri: mongo.uri, dbName: uniqueDbName(), encryptionKey: randomBytes(32).toString('hex') });
    try {
      const ws = await store.workspaces.createWorkspace({ name: 'w' });
      const first = await store.workspaces.createApiKey(ws.id);
      const second = await store.workspaces.createApiKey(ws.id);
      expect(first.info.prefix).toBe('SAMEPREF');
      expect(second.info.prefix).not.toBe('SAMEPREF');
      expect((await store.workspaces.verifyApiKey(second.apiKey))?.id).toBe(second.info.id);
    } finally {
      await store.close();
    }
  });
});
