import { randomBytes } from 'node:crypto';
import { startTestMongo, uniqueDbName, withDatabase, type TestMongo } from '@outrun/testing/mongo';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { at, manual, seedWorkflow, workflowInput } from '../contract/harness';
import type { Store } from '../ports';
import { createMongoStore, type MongoStoreOptions } from './create-mongo-store';
import { names } from './mongo-context';

/**
 * Regression tests of issue 14, each failing on the adapter before its fix. Cases that need the test server's
 * hooks (fail points are also on a real mongod with test commands, history loss and standalone mode are not)
 * say so and skip on a real MONGO_URI.
 */
let mongo: TestMongo;
let admin: MongoClient;
const opened: Array<{ store: Store; dbName: string }> = [];

beforeAll(async () => {
  mongo = await startTestMongo();
  admin = new MongoClient(mongo.uri);
  await admin.connect();
});
afterEach(async () => {
  // A real mongod has fail points only with test commands enabled; the cases using them then fail loudly.
  await admin.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' }).catch(() => undefined);
  for (const { store, dbName } of opened.splice(0)) {
    await store.close();
    await admin.db(dbName).dropDatabase();
  }
});
afterAll(async () => {
  await admin.close();
  await mongo.close();
});

async function open(options: Partial<MongoStoreOptions> = {}): Promise<{ store: Store; dbName: string; db: ReturnType<MongoClient['db']> }> {
  const dbName = options.dbName ?? uniqueDbName();
  const store = await createMongoStore({ uri: mongo.uri, dbName, encryptionKey: randomBytes(32).toString('hex'), ...options });
  opened.push({ store, dbName });
  return { store, dbName, db: admin.db(dbName) };
}

const failOnce = (failCommands: string[], data: Document) => admin.db('admin').command({ configureFailPoint: 'failCommand', mode: { times: 1 }, data: { failCommands, ...data } });

async function drain(iterable: AsyncIterable<unknown>, timeoutMs = 3000): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  const iterator = iterable[Symbol.asyncIterator]();
  const next = iterator.next();
  return Promise.race([next.then(() => 'yielded or ended'), new Promise((resolve) => signal.addEventListener('abort', () => resolve('timeout')))]);
}

const longestArray = (value: unknown): number => {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestArray));
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestArray));
  return 0;
};

describe('bug 1: fatal change-stream errors surface', () => {
  it('history lost: a position older than the kept history fails with OUT_ERR_CHANGE_STREAM_HISTORY_LOST', async (t) => {
    if (!mongo.emulator) return t.skip('needs the test server to drop its change history');
    const { store } = await open();
    const ws = (await store.workspaces.createWorkspace({ name: 'w' })).id;
    const feed = store.data.changes({ workspaceId: ws })[Symbol.asyncIterator]();
    const first = feed.next();
    await store.data.insert(ws, 'c', { n: 1 });
    const event = (await first).value as { position: string };
    await feed.return?.(undefined);
    await store.data.insert(ws, 'c', { n: 2 });
    mongo.emulator.forgetChangeHistory();
    await expect(drain(store.data.changes({ after: event.position, workspaceId: ws }))).rejects.toMatchObject({ code: 'OUT_ERR_CHANGE_STREAM_HISTORY_LOST' });
  });

  it('standalone server: the feed fails with OUT_ERR_MONGO_REPLICA_SET_REQUIRED instead of ending', async (t) => {
    if (!mongo.emulator) return t.skip('needs a standalone test server');
    const standalone = await startTestMongo({ replicaSetName: null });
    try {
      const store = await createMongoStore({ uri: standalone.uri, dbName: uniqueDbName(), encryptionKey: randomBytes(32).toString('hex') });
      try {
        await expect(drain(store.data.changes({}))).rejects.toMatchObject({ code: 'OUT_ERR_MONGO_REPLICA_SET_REQUIRED' });
      } finally {
        await store.close();
      }
    } finally {
      await standalone.close();
    }
  });
});

describe('bug 2: the 16 MiB guard counts BSON bytes', () => {
  it('fourteen steps of 240 KB JSON integer arrays (1.3 MB BSON each) stay under the document limit', async () => {
    const { store } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const { run } = await store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    await store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const ints = Array.from({ length: 120_000 }, (_, i) => i % 10);
    expect(JSON.stringify(ints).length).toBeLessThan(256 * 1024);
    for (let i = 0; i < 14; i++) {
      await store.runs.recordStepFinish(workspaceId, run.id, { nodeId: `n${i}`, nodeType: 'code', status: 'completed', attempt: 1, finishedAt: at(i + 1), duration: 1, output: ints });
    }
    const got = await store.runs.getRun(workspaceId, run.id);
    expect(got?.steps).toHaveLength(14);
    expect(got?.steps.filter((s) => Array.isArray(s.output)).length).toBeGreaterThan(5);
    expect(got?.steps.at(-1)?.output).toMatchObject({ __truncated: true });
  });

  it('counts the trigger payload', async () => {
    const { store } = await open({ maxStepBytes: 4 * 1024 * 1024 });
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const { run } = await store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual({ blob: 'p'.repeat(10 * 1024 * 1024) }) });
    await store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const value = { blob: 'v'.repeat(3 * 1024 * 1024) };
    await store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'a', nodeType: 'code', status: 'completed', attempt: 1, finishedAt: at(1), duration: 1, output: value });
    await store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'b', nodeType: 'code', status: 'completed', attempt: 1, finishedAt: at(2), duration: 1, output: value });
    const got = await store.runs.getRun(workspaceId, run.id);
    expect(got?.steps.map((s) => (s.output as { __truncated?: boolean }).__truncated === true)).toEqual([false, true]);
  });

  it('counts the run response against the budget of the run output', async () => {
    const { store } = await open({ maxStepBytes: 4 * 1024 * 1024 });
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const { run } = await store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    await store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const response = { status: 200, headers: {}, body: { blob: 'r'.repeat(12 * 1024 * 1024) } };
    await store.runs.finishRun(workspaceId, run.id, { status: 'completed', output: { blob: 'o'.repeat(3 * 1024 * 1024) }, response, at: at(1) });
    expect((await store.runs.getRun(workspaceId, run.id))?.output).toMatchObject({ __truncated: true });
  });

  it('keeps the stored-bytes counter true when a retry replaces a step', async () => {
    const { store } = await open({ maxStepBytes: 4 * 1024 * 1024 });
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const { run } = await store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    await store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const value = { blob: 'r'.repeat(2 * 1024 * 1024) };
    for (let attempt = 1; attempt <= 10; attempt++) {
      await store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'a', nodeType: 'code', attempt, startedAt: at(attempt), input: value });
      await store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'a', status: attempt === 10 ? 'completed' : 'failed', attempt, finishedAt: at(attempt), duration: 1, output: value });
    }
    await store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'b', nodeType: 'code', status: 'completed', attempt: 1, finishedAt: at(20), duration: 1, output: value });
    const got = await store.runs.getRun(workspaceId, run.id);
    expect(got?.steps.find((s) => s.nodeId === 'b')?.output).toEqual(value);
  });
});

describe('bug 3: retention deletes in bounded chunks', () => {
  it('deletes 2,500 runs with no command carrying more than 1,000 ids', async (t) => {
    if (!mongo.emulator) return t.skip('observes the commands the test server receives');
    const { store, db } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const runs = db.collection(names.runs(workspaceId));
    const docs = Array.from({ length: 2500 }, (_, i) => ({ _id: `r${String(i).padStart(5, '0')}`, workspaceId, workflowId, status: 'completed', queuedAt: at(i), finishedAt: at(i + 1) }));
    await runs.insertMany(docs as never[]);
    let largest = 0;
    const stop = mongo.emulator.onCommand((name, command) => {
      if (name !== 'delete') return;
      for (const d of command.deletes as Array<{ q: Document }>) largest = Math.max(largest, longestArray(d.q));
    });
    try {
      expect(await store.runs.deleteRunsFinishedBefore(workspaceId, at(10_000))).toBe(2500);
    } finally {
      stop();
    }
    expect(largest).toBeLessThanOrEqual(1000);
    expect(largest).toBeGreaterThan(0);
    expect(await runs.countDocuments({})).toBe(0);
  });
});

describe('bug 4: data.find filters mean equality', () => {
  it('operator-looking values match only documents holding that literal value', async () => {
    const { store } = await open();
    const ws = (await store.workspaces.createWorkspace({ name: 'w' })).id;
    await store.data.insert(ws, 'c', { n: 5, email: 'a@b.c' });
    await store.data.insert(ws, 'c', { n: 1 });
    expect((await store.data.find(ws, 'c', { filter: { n: { $gt: 2 } } })).items).toEqual([]);
    expect((await store.data.find(ws, 'c', { filter: { email: { $ne: null } } })).items).toEqual([]);
    expect((await store.data.find(ws, 'c', { filter: { email: null } })).items).toEqual([]);
    expect((await store.data.find(ws, 'c', { filter: { n: 5 } })).items).toHaveLength(1);
  });

  it('rejects a $-prefixed filter key with a 400 naming the key', async () => {
    const { store } = await open();
    const ws = (await store.workspaces.createWorkspace({ name: 'w' })).id;
    await expect(store.data.find(ws, 'c', { filter: { $where: 'true' } })).rejects.toMatchObject({ code: 'OUT_ERR_VALIDATION', status: 400, details: [{ path: 'filter.$where' }] });
  });
});

describe('bug 5: multi-document writes are never torn', () => {
  it('a failed version write leaves the current version with a stored copy', async () => {
    const { store, dbName } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    await failOnce(['insert'], { errorCode: 91, namespace: `${dbName}.${names.versions}` });
    await expect(store.workflows.updateWorkflow(workspaceId, workflowId, workflowInput({ name: 'v2' }))).rejects.toThrow();
    const current = await store.workflows.getWorkflow(workspaceId, workflowId);
    expect(await store.workflows.getWorkflowVersion(workspaceId, workflowId, current!.version)).not.toBeNull();
  });

  it('a version stored without its bump stays invisible and the next save takes its number', async () => {
    const { store, dbName } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    await failOnce(['findAndModify'], { errorCode: 91, namespace: `${dbName}.${names.workflows(workspaceId)}` });
    await expect(store.workflows.updateWorkflow(workspaceId, workflowId, workflowInput({ name: 'torn' }))).rejects.toThrow();
    expect((await store.workflows.listWorkflowVersions(workspaceId, workflowId)).items.map((v) => v.version)).toEqual([1]);
    const saved = await store.workflows.updateWorkflow(workspaceId, workflowId, workflowInput({ name: 'v2' }));
    expect(saved?.version).toBe(2);
    expect((await store.workflows.getWorkflowVersion(workspaceId, workflowId, 2))?.name).toBe('v2');
  });

  it('a crash between the terminal write and the statistics is repaired on read, counted once', async () => {
    const { store, dbName } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const { run } = await store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    await store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    await failOnce(['update'], { errorCode: 91, namespace: `${dbName}.${names.workflows(workspaceId)}` });
    await expect(store.runs.finishRun(workspaceId, run.id, { status: 'completed', at: at(1000) })).rejects.toThrow();
    expect(await store.runs.finishRun(workspaceId, run.id, { status: 'completed', at: at(2000) })).toBe(false);
    expect(await store.runs.getWorkflowStats(workspaceId, workflowId)).toMatchObject({ totalRuns: 1, successfulRuns: 1, avgExecutionTime: 1000 });
    expect((await store.workflows.getWorkflow(workspaceId, workflowId))?.stats).toMatchObject({ totalRuns: 1 });
  });
});

describe('bug 6: default database', () => {
  it('uses "outrun" when the URI names no database', async (t) => {
    if (!mongo.emulator) return t.skip('would write to (and drop) the database "outrun" of a real server');
    const store = await createMongoStore({ uri: mongo.uri, encryptionKey: randomBytes(32).toString('hex') });
    opened.push({ store, dbName: 'outrun' });
    await store.workspaces.createWorkspace({ name: 'w' });
    expect(await admin.db('outrun').collection(names.workspaces).countDocuments({})).toBe(1);
  });

  it('uses the database the URI names', async () => {
    const dbName = uniqueDbName();
    const store = await createMongoStore({ uri: withDatabase(mongo.uri, dbName), encryptionKey: randomBytes(32).toString('hex') });
    opened.push({ store, dbName });
    await store.workspaces.createWorkspace({ name: 'w' });
    expect(await admin.db(dbName).collection(names.workspaces).countDocuments({})).toBe(1);
  });
});

describe('bug 7: smaller ones', () => {
  it('a workflow stored without stats reads as zero statistics, not null', async () => {
    const { store, db } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    await db.collection(names.workflows(workspaceId)).updateOne({ _id: workflowId as never }, { $unset: { stats: '' } });
    expect((await store.workflows.getWorkflow(workspaceId, workflowId))?.stats).toEqual({ totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 });
  });

  it('two creators of one idempotency key never make two runs, even when the first is slow', async () => {
    const { store, dbName, db } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    await failOnce(['insert'], { blockConnection: true, blockTimeMS: 2600, namespace: `${dbName}.${names.runs(workspaceId)}` });
    const input = { workflowId, workflowVersion: 1, triggeredBy: manual(), idempotencyKey: 'delivery-1' };
    const slow = store.runs.createRun(workspaceId, input);
    await new Promise((r) => setTimeout(r, 100));
    const [a, b] = await Promise.all([slow, store.runs.createRun(workspaceId, input)]);
    expect(a.run.id).toBe(b.run.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await db.collection(names.runs(workspaceId)).countDocuments({})).toBe(1);
  });

  it('a creator that died after writing its run but before committing the key: the next creator gets that run', async () => {
    const { store, dbName, db } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    // The commit of the claim fails, as when the listener is SIGKILLed between the run insert and the commit.
    await failOnce(['update'], { errorCode: 91, namespace: `${dbName}.${names.idempotency}` });
    const input = { workflowId, workflowVersion: 1, triggeredBy: manual(), idempotencyKey: 'source:t:entry-1' };
    await expect(store.runs.createRun(workspaceId, input)).rejects.toThrow();
    expect(await db.collection(names.runs(workspaceId)).countDocuments({})).toBe(1);
    const again = await store.runs.createRun(workspaceId, input);
    expect(again.created).toBe(false);
    expect(await db.collection(names.runs(workspaceId)).countDocuments({})).toBe(1);
    expect((await store.runs.createRun(workspaceId, input)).run.id).toBe(again.run.id);
  });

  it('stores and reads back user JSON with $-prefixed and dotted keys in step input and output', async () => {
    const { store } = await open();
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const { run } = await store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual({ $op: 1, 'a.b': 2 }) });
    await store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: at(0) });
    const odd = { $set: { x: 1 }, 'dotted.key': [{ $inc: 2 }], plain: 'ok' };
    await store.runs.recordStepStart(workspaceId, run.id, { nodeId: 'a', nodeType: 'code', attempt: 1, startedAt: at(1), input: odd });
    await store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'a', status: 'completed', attempt: 1, finishedAt: at(2), duration: 1, output: odd });
    await store.runs.recordStepFinish(workspaceId, run.id, { nodeId: 'b', nodeType: 'code', status: 'completed', attempt: 1, finishedAt: at(3), duration: 1, input: odd, output: odd });
    await store.runs.finishRun(workspaceId, run.id, { status: 'completed', output: odd, at: at(4) });
    const got = await store.runs.getRun(workspaceId, run.id);
    expect(got?.steps.map((s) => [s.input, s.output])).toEqual([
      [odd, odd],
      [odd, odd],
    ]);
    expect(got?.output).toEqual(odd);
    expect(got?.triggeredBy.payload).toEqual({ $op: 1, 'a.b': 2 });
  });
});
