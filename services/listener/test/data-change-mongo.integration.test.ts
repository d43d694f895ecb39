import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@outrun/config';
import type { Store } from '@outrun/store';
import { createMongoStore } from '@outrun/store/mongo';
import { startTestMongo, uniqueDbName, type TestMongo } from '@outrun/testing/mongo';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflow, eventually, startListener, type RunningListener } from './fixtures';

/** The data change follower on MongoDB change streams (the wire-protocol test server, or MONGO_URI). */
let mongo: TestMongo;
let running: RunningListener | undefined;
const stores: Store[] = [];

beforeAll(async () => {
  mongo = await startTestMongo();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const store of stores.splice(0)) await store.close();
});
afterAll(async () => {
  await mongo.close();
});

async function openStore(uri = mongo.uri, dbName = uniqueDbName()): Promise<Store> {
  const store = await createMongoStore({ uri, dbName, encryptionKey: randomBytes(32).toString('hex') });
  stores.push(store);
  return store;
}

async function dataRuns(store: Store, ws: string) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await store.runs.listRuns(ws, { limit: 100, ...(cursor ? { cursor } : {}) });
    items.push(...page.items.filter((r) => r.triggeredBy.type === 'data_change'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: Array<{ level: number; msg: string; err?: { code?: string } }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: createLogger({ name: 'listener-test', level: 'debug', destination }), lines };
}

describe('data change triggers on MongoDB', () => {
  it('starts a run per matching change; filter values are literal (an operator-looking value is not an operator)', async () => {
    const store = await openStore();
    const ws = (await store.workspaces.createWorkspace({ name: 'data' })).id;
    await createWorkflow(store, ws, [
      { id: 'hot', type: 'data_change', config: { collection: 'leads', operations: ['insert', 'update'], filter: { 'lead.tier': 'hot' } } },
      { id: 'op', type: 'data_change', config: { collection: 'leads', operations: ['insert'], filter: { n: { $gt: 2 } } } },
    ]);
    running = await startListener({ store });
    const hot = await store.data.insert(ws, 'leads', { lead: { tier: 'hot' }, n: 5 });
    await store.data.insert(ws, 'leads', { lead: { tier: 'cold' }, n: { $gt: 2 } });
    await store.data.update(ws, 'leads', hot.id, { name: 'a2' });
    const runs = await eventually(async () => {
      const r = await dataRuns(store, ws);
      return r.length >= 3 ? r : null;
    });
    const seen = runs.map((r) => `${r.triggeredBy.triggerId}:${(r.triggeredBy.payload as { operation: string }).operation}`).sort();
    expect(seen).toEqual(['hot:insert', 'hot:update', 'op:insert']);
    expect(runs.find((r) => r.triggeredBy.triggerId === 'op')?.triggeredBy.payload).toMatchObject({ document: { n: { $gt: 2 } } });
  });

  it('a restart in the middle of a stream of changes handles every change exactly once', async () => {
    const dbName = uniqueDbName();
    const store = await openStore(mongo.uri, dbName);
    const ws = (await store.workspaces.createWorkspace({ name: 'data' })).id;
    await createWorkflow(store, ws, [{ id: 'all', type: 'data_change', config: { collection: 'events' } }]);
    // The writer is another process's client (like the API), unaffected by the listener restart.
    const writer = await openStore(mongo.uri, dbName);
    running = await startListener({ store });
    const total = 120;
    const writing = (async () => {
      for (let i = 0; i < total; i++) await writer.data.insert(ws, 'events', { i });
    })();
    await eventually(async () => (await dataRuns(store, ws)).length >= 20, 10_000, 'first listener progress');
    await running.close();
    running = undefined;
    expect((await dataRuns(store, ws)).length).toBeLessThan(total);
    const second = await openStore(mongo.uri, dbName);
    running = await startListener({ store: second });
    await writing;
    await eventually(async () => ((await dataRuns(second, ws)).length >= total ? true : null), 20_000, `${total} runs`);
    const final = await dataRuns(second, ws);
    const indexes = final.map((r) => (r.triggeredBy.payload as { document: { i: number } }).document.i).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('a standalone server (no change streams) is logged once, recorded on the triggers and retried with backoff, not in a hot loop', async (t) => {
    if (!mongo.emulator) return t.skip('needs a standalone test server');
    const standalone = await startTestMongo({ replicaSetName: null });
    try {
      const store = await openStore(standalone.uri);
      const ws = (await store.workspaces.createWorkspace({ name: 'data' })).id;
      await createWorkflow(store, ws, [{ id: 'all', type: 'data_change', config: { collection: 'events' } }]);
      const { logger, lines } = capturedLogger();
      const opened = () => standalone.emulator?.commandCounts.get('aggregate') ?? 0;
      running = await startListener({ store, logger });
      const before = opened();
      await new Promise((r) => setTimeout(r, 1500));
      // 100, 200, 400, 800 ms of backoff: a handful of attempts, not hundreds.
      expect(opened() - before).toBeLessThan(8);
      const stats = await eventually(async () => {
        const s = await store.triggers.getTriggerStats(ws, 'all');
        return s.lastError ? s : null;
      });
      expect(stats.lastError?.code).toBe('OUT_ERR_MONGO_REPLICA_SET_REQUIRED');
      // Counted as well as recorded: the trigger's statistics say how often the feed failed.
      expect(stats.errors).toBeGreaterThanOrEqual(1);
      const loud = lines.filter((l) => l.level >= 40 && l.err?.code === 'OUT_ERR_MONGO_REPLICA_SET_REQUIRED');
      expect(loud).toHaveLength(1);
    } finally {
      await running?.close();
      running = undefined;
      await standalone.close();
    }
  });

  it('history lost is an alert and recorded, never a silent restart from now', async (t) => {
    if (!mongo.emulator) return t.skip('needs the test server to drop its change history');
    const store = await openStore();
    const ws = (await store.workspaces.createWorkspace({ name: 'data' })).id;
    await createWorkflow(store, ws, [{ id: 'all', type: 'data_change', config: { collection: 'events' } }]);
    running = await startListener({ store });
    await store.data.insert(ws, 'events', { i: 1 });
    await eventually(async () => (await dataRuns(store, ws)).length === 1);
    await running.close();
    await store.data.insert(ws, 'events', { i: 2 });
    mongo.emulator.forgetChangeHistory();
    const { logger, lines } = capturedLogger();
    running = await startListener({ store, logger });
    await store.data.insert(ws, 'events', { i: 3 });
    const stats = await eventually(async () => {
      const s = await store.triggers.getTriggerStats(ws, 'all');
      return s.lastError ? s : null;
    });
    expect(stats.lastError?.code).toBe('OUT_ERR_CHANGE_STREAM_HISTORY_LOST');
    expect(lines.filter((l) => l.level >= 50 && l.err?.code === 'OUT_ERR_CHANGE_STREAM_HISTORY_LOST')).toHaveLength(1);
    expect(await dataRuns(store, ws)).toHaveLength(1);
  });

  it('a quiet feed saves its position as the history moves on, so a restart after the window resumes', async (t) => {
    if (!mongo.emulator) return t.skip('needs a test server with a small change history');
    // A change history ("oplog window") of 60 writes, then 300 writes elsewhere while the data collections stay quiet.
    const small = await startTestMongo({ changeHistory: 60 });
    try {
      const store = await openStore(small.uri);
      const ws = (await store.workspaces.createWorkspace({ name: 'data' })).id;
      await createWorkflow(store, ws, [{ id: 'all', type: 'data_change', config: { collection: 'events' } }]);
      running = await startListener({ store, options: { dataIdlePositionSaveMs: 0 } });
      await store.data.insert(ws, 'events', { i: 1 });
      await eventually(async () => (await dataRuns(store, ws)).length === 1);
      for (let i = 0; i < 300; i++) await store.triggers.incrementTriggerStat(ws, 'other', 'fires');
      const mark = small.emulator!.headPosition();
      await eventually(async () => ((await store.triggers.getFeedPosition('listener:data')) ?? '') >= mark, 5000, 'an idle position past the writes');
      await running.close();
      running = await startListener({ store });
      await store.data.insert(ws, 'events', { i: 2 });
      await eventually(async () => (await dataRuns(store, ws)).length === 2, 5000, 'the run of the change after the restart');
    } finally {
      await running?.close();
      running = undefined;
      await small.close();
    }
  });
});
