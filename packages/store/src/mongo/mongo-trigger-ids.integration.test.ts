/**
 * Workflow documents written before `liveTriggerIds` existed get it when their collection is first used, so the
 * unique index covers them too (an upgrade keeps trigger ids unique without a migration step).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { WorkflowInput } from '@outrun/schemas';
import { startTestMongo, uniqueDbName, type TestMongo } from '@outrun/testing/mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoStore } from './create-mongo-store';
import { names } from './mongo-context';

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await startTestMongo();
});
afterAll(async () => {
  await mongo.close();
});

const legacy = (id: string, status: string, triggerIds: string[]) => ({
  _id: id,
  name: id,
  nodes: [{ id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: triggerIds[0] } }],
  edges: [],
  triggers: triggerIds.map((t) => ({ id: t, type: 'manual' })),
  settings: {},
  status,
  version: 1,
  stats: { totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('mongo trigger ids', () => {
  it('documents from before the index hold their trigger ids once the store opens; archived ones do not', async () => {
    const dbName = uniqueDbName();
    const client = await MongoClient.connect(mongo.uri);
    const ws = 'legacy-ws';
    try {
      await client.db(dbName).collection(names.workspaces).insertOne({ _id: ws as never, name: 'legacy', createdAt: '2026-01-01T00:00:00.000Z' });
      await client.db(dbName).collection(names.workflows(ws)).insertMany([legacy('old-active', 'active', ['orders']), legacy('old-archived', 'archived', ['refunds'])] as never[]);
    } finally {
      await client.close();
    }
    const store = await createMongoStore({ uri: mongo.uri, dbName, encryptionKey: randomBytes(32).toString('hex') });
    try {
      expect(Object.fromEntries(await store.workflows.triggerIdOwners(ws, ['orders', 'refunds']))).toEqual({ orders: 'old-active' });
      const holding = (triggerId: string) => {
        const { nodes, triggers } = legacy('new', 'draft', [triggerId]);
        return WorkflowInput.parse({ name: `new ${triggerId}`, nodes, triggers });
      };
      await expect(store.workflows.createWorkflow(ws, holding('orders'))).rejects.toMatchObject({ status: 409, code: 'OUT_ERR_CONFLICT' });
      await expect(store.workflows.createWorkflow(ws, holding('refunds'))).resolves.toMatchObject({ status: 'draft' });
    } finally {
      await store.close();
    }
  });
});
