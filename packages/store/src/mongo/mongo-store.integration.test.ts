import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, it } from 'vitest';
import { describeStoreContract } from '../contract';
import type { Store } from '../ports';
import { createMongoStore } from './create-mongo-store';

// Tests may read the environment directly; services go through @outrun/config.
const uri = process.env.MONGO_URI;

if (!uri) {
  console.warn('[store] MONGO_URI not set: skipped the MongoDB contract suite');
  describe.skip('store contract: mongo (skipped: MONGO_URI not set; needs a replica set, e.g. mongodb://localhost:27017/?replicaSet=rs0)', () => {
    it('runs the store contract against MongoDB', () => undefined);
  });
} else {
  const mongoUri = uri;
  describeStoreContract('mongo', async () => {
    const dbName = `outrun_test_${randomBytes(6).toString('hex')}`;
    const encryptionKey = randomBytes(32).toString('hex');
    const open = () => createMongoStore({ uri: mongoUri, dbName, encryptionKey });
    let store: Store = await open();
    const admin = new MongoClient(mongoUri);
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
}
