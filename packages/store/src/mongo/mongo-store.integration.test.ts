import { randomBytes } from 'node:crypto';
import { startTestMongo, uniqueDbName, type TestMongo } from '@outrun/testing/mongo';
import { MongoClient } from 'mongodb';
import { afterAll } from 'vitest';
import { describeStoreContract } from '../contract';
import type { Store } from '../ports';
import { createMongoStore } from './create-mongo-store';

// The real server of MONGO_URI (a replica set) when set, else the in-process wire-protocol test server.
let mongo: Promise<TestMongo> | undefined;
const server = () => (mongo ??= startTestMongo());
afterAll(async () => {
  await (await mongo)?.close();
});

describeStoreContract('mongo', async () => {
  const { uri } = await server();
  const dbName = uniqueDbName();
  const encryptionKey = randomBytes(32).toString('hex');
  const open = () => createMongoStore({ uri, dbName, encryptionKey });
  let store: Store = await open();
  const admin = new MongoClient(uri);
  await admin.connect();
  return {
    get store() {
      return store;
    },
    reopen: async () => {
      await store.close();
      store = await open();
      return store;
    },
    rawBytes: async () => {
      const db = admin.db(dbName);
      const chunks: Buffer[] = [];
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
        for (const doc of await db.collection(name).find({}).toArray()) chunks.push(Buffer.from(JSON.stringify(doc)));
      }
      return Buffer.concat(chunks);
    },
    cleanup: async () => {
      await store.close();
      await admin.db(dbName).dropDatabase();
      await admin.close();
    },
  };
});
