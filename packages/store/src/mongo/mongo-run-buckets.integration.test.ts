import { randomBytes } from 'node:crypto';
import { startTestMongo, uniqueDbName, type TestMongo } from '@outrun/testing/mongo';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manual, seedWorkflow } from '../contract/harness';
import { durationBin } from '../shared/duration-bins';
import { createMongoStore } from './create-mongo-store';
import { names } from './mongo-context';
import { RUN_BUCKETS } from './mongo-run-buckets';

let mongo: TestMongo;
let admin: MongoClient;

beforeAll(async () => {
  mongo = await startTestMongo();
  admin = new MongoClient(mongo.uri);
  await admin.connect();
});
afterAll(async () => {
  await admin.close();
  await mongo.close();
});

// Buckets written before test runs were left out counted them: the next start takes the stored test runs back out, once.
describe('mongo run buckets: test runs', () => {
  it('a database whose buckets counted test runs is corrected once at start-up', async () => {
    const dbName = uniqueDbName();
    const encryptionKey = randomBytes(32).toString('hex');
    const first = await createMongoStore({ uri: mongo.uri, dbName, encryptionKey });
    const { workspaceId, workflowId } = await seedWorkflow(first);
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    const startedAt = new Date(now.getTime() - 60_000).toISOString();
    for (const test of [false, true, true]) {
      const { run } = await first.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: test ? { ...manual(), test: {} } : manual() });
      await first.runs.markRunning(workspaceId, run.id, { attempt: 1, at: startedAt });
      await first.runs.finishRun(workspaceId, run.id, { status: test ? 'failed' : 'completed', usage: { aiTokensUsed: test ? 50 : 5, estimatedCost: 0, webhooksCalled: 0, unpricedCalls: 0 }, at: now.toISOString() });
    }
    await first.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: { ...manual(), test: {} } }); // still queued
    expect(await first.runs.getRunStats(workspaceId, { days: 1, now })).toMatchObject({ totalRuns: 1, failedRuns: 0, aiTokensUsed: 5 });
    await first.close();

    // What an older version wrote: every test run counted at creation, the finished ones with their outcome.
    const db = admin.db(dbName);
    await db.collection(RUN_BUCKETS).updateOne({ _id: { w: workspaceId, d: day } as never }, { $inc: { total: 3, failed: 2, tokens: 100, dsum: 120_000, dcount: 2, [`bins.${durationBin(60_000)}`]: 2 } });
    await db.collection(names.counters).updateOne({ _id: 'run_daily_stats_backfilled' as never }, { $unset: { testRunsOut: '' } });
    const second = await createMongoStore({ uri: mongo.uri, dbName, encryptionKey });
    try {
      await expect.poll(async () => (await db.collection(names.counters).findOne({ _id: 'run_daily_stats_backfilled' as never }))?.testRunsOut).toBe(true);
      const stats = await second.runs.getRunStats(workspaceId, { days: 1, now });
      expect(stats).toMatchObject({ totalRuns: 1, successfulRuns: 1, failedRuns: 0, aiTokensUsed: 5 });
      expect(stats.avgExecutionTime).toBeCloseTo(60_000, 0);
      expect(stats.p95ExecutionTime).toBeGreaterThanOrEqual(60_000); // the production run's bin is still there
    } finally {
      await second.close();
    }
    // and only once: a third start changes nothing
    const third = await createMongoStore({ uri: mongo.uri, dbName, encryptionKey });
    try {
      expect(await third.runs.getRunStats(workspaceId, { days: 1, now })).toMatchObject({ totalRuns: 1, failedRuns: 0, aiTokensUsed: 5 });
    } finally {
      await third.close();
      await db.dropDatabase();
    }
  });
});
