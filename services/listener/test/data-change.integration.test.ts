import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@outrun/store/sqlite';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import type { Store } from '@outrun/store';
import { createWorkflow, eventually, startListener, type RunningListener } from './fixtures';

let temp: TempSqliteStore | undefined;
let running: RunningListener | undefined;

afterEach(async () => {
  await running?.close();
  await temp?.cleanup();
  running = undefined;
  temp = undefined;
});

async function dataRuns(store: Store, ws: string) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await store.runs.listRuns(ws, { limit: 500, ...(cursor ? { cursor } : {}) });
    items.push(...page.items.filter((r) => r.triggeredBy.type === 'data_change'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

describe('data change triggers', () => {
  it('starts a run per matching change (collection, operation, dotted-path filter)', async () => {
    temp = await createTempSqliteStore();
    const { store } = temp;
    const ws = (await store.workspaces.createWorkspace({ name: 'data' })).id;
    await createWorkflow(store, ws, [
      { id: 'hot', type: 'data_change', config: { collection: 'leads', operations: ['insert', 'update'], filter: { 'lead.tier': 'hot' } } },
      { id: 'deletes', type: 'data_change', config: { collection: 'leads', operations: ['delete'] } },
    ]);
    running = await startListener({ store });
    const hot = await store.data.insert(ws, 'leads', { lead: { tier: 'hot' }, name: 'a' });
    await store.data.insert(ws, 'leads', { lead: { tier: 'cold' }, name: 'b' });
    await store.data.insert(ws, 'other', { lead: { tier: 'hot' } });
    await store.data.update(ws, 'leads', hot.id, { name: 'a2' });
    await store.data.delete(ws, 'leads', hot.id);
    const runs = await eventually(async () => {
      const r = await dataRuns(store, ws);
      return r.length >= 3 ? r : null;
    });
    const seen = runs.map((r) => `${r.triggeredBy.triggerId}:${(r.triggeredBy.payload as { operation: string }).operation}`).sort();
    expect(seen).toEqual(['deletes:delete', 'hot:insert', 'hot:update']);
    const insert = runs.find((r) => (r.triggeredBy.payload as { operation: string }).operation === 'insert');
    expect(insert?.triggeredBy.payload).toMatchObject({ collection: 'leads', documentId: hot.id, document: { lead: { tier: 'hot' }, name: 'a' } });
    expect(insert?.idempotencyKey).toMatch(/^data:\d+:hot$/);
    const saved = await eventually(() => store.triggers.getFeedPosition('listener:data'));
    expect(Number(saved)).toBeGreaterThan(0);
  });

  it('a restart in the middle of a stream of changes handles every change exactly once', async () => {
    temp = await createTempSqliteStore();
    const ws = (await temp.store.workspaces.createWorkspace({ name: 'data' })).id;
    await createWorkflow(temp.store, ws, [{ id: 'all', type: 'data_change', config: { collection: 'events' } }]);
    // The writer is another process's connection (like the API), unaffected by the listener restart.
    const writer = createSqliteStore({ file: temp.file, encryptionKey: temp.encryptionKey });
    running = await startListener({ store: temp.store });
    const total = 120;
    const writing = (async () => {
      for (let i = 0; i < total; i++) {
        await writer.data.insert(ws, 'events', { i });
        if (i % 5 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await eventually(async () => (await dataRuns(temp!.store, ws)).length >= 30, 10_000, 'first listener progress');
    await running.close();
    running = undefined;
    // Mid-stream: the first listener handled some changes, not all.
    expect((await dataRuns(temp.store, ws)).length).toBeLessThan(total);
    const store = await temp.reopen();
    running = await startListener({ store });
    await writing;
    const runs = await eventually(async () => {
      const r = await dataRuns(store, ws);
      return r.length >= total ? r : null;
    }, 20_000, `${total} runs`);
    // Let the follower drain anything past the expected count before asserting uniqueness.
    await eventually(async () => (await store.triggers.getFeedPosition('listener:data')) === String(Math.max(...runs.map((r) => Number((r.triggeredBy.payload as { position: string }).position)))), 5000, 'position saved');
    const final = await dataRuns(store, ws);
    const indexes = final.map((r) => ((r.triggeredBy.payload as { document: { i: number } }).document.i)).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: total }, (_, i) => i));
    await writer.close();
  });
});
