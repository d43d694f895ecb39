import type { DataChangeEvent } from '@outrun/schemas';
import { expect, it } from 'vitest';
import type { DataChangeFeedOptions, Store } from '../ports';
import { collectPages, type ContractContext } from './harness';

/** Reads `count` events from a feed (or fails after `timeoutMs`), then stops it. */
export async function takeChanges(store: Store, options: DataChangeFeedOptions, count: number, timeoutMs = 15_000): Promise<DataChangeEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: DataChangeEvent[] = [];
  try {
    for await (const event of store.data.changes({ ...options, signal: controller.signal })) {
      events.push(event);
      if (events.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/**
 * The feed position of "now": opens a feed from now and writes probe documents (another workspace) until one
 * arrives, so later writes are certainly after the returned position (a change stream opens asynchronously).
 */
export async function currentPosition(store: Store, timeoutMs = 15_000): Promise<string> {
  const controller = new AbortController();
  const iterator = store.data.changes({ after: null, workspaceId: '_probe', signal: controller.signal })[Symbol.asyncIterator]();
  const first = iterator.next();
  let settled = false;
  void first.then(() => (settled = true), () => (settled = true));
  const deadline = Date.now() + timeoutMs;
  while (!settled && Date.now() < deadline) {
    await store.data.insert('_probe', 'probe', {});
    await Promise.race([first, new Promise((r) => setTimeout(r, 50))]);
  }
  const result = await first;
  controller.abort();
  await iterator.return?.();
  if (result.done) throw new Error('the change feed ended before delivering a probe');
  return result.value.position;
}

/** Data collections and their change feed. */
export function dataCases(c: ContractContext): void {
  it('inserts, gets, shallow-updates, deletes and lists collections', async () => {
    const d = c.store.data;
    const doc = await d.insert('ws', 'leads', { name: 'Ada', address: { city: 'Paris' } }, { id: 'lead-1' });
    expect(doc).toMatchObject({ id: 'lead-1', collection: 'leads', data: { name: 'Ada', address: { city: 'Paris' } } });
    await expect(d.insert('ws', 'leads', {}, { id: 'lead-1' })).rejects.toMatchObject({ code: 'OUT_ERR_CONFLICT' });
    await expect(d.insert('ws', 'bad name!', {})).rejects.toMatchObject({ code: 'OUT_ERR_VALIDATION' });
    expect(await d.get('ws', 'leads', 'lead-1')).toEqual(doc);
    const updated = await d.update('ws', 'leads', 'lead-1', { score: 3, address: { zip: '75001' } });
    expect(updated?.data).toEqual({ name: 'Ada', score: 3, address: { zip: '75001' } });
    expect(await d.update('ws', 'leads', 'missing', { a: 1 })).toBeNull();
    await d.insert('ws', 'orders', { total: 1 });
    expect(await d.listCollections('ws')).toEqual(['leads', 'orders']);
    expect(await d.delete('ws', 'leads', 'lead-1')).toBe(true);
    expect(await d.delete('ws', 'leads', 'lead-1')).toBe(false);
    expect(await d.get('ws', 'leads', 'lead-1')).toBeNull();
  });

  it('finds by equality filter on dotted paths with cursor pagination', async () => {
    const d = c.store.data;
    for (let i = 0; i < 9; i++) await d.insert('ws', 'leads', { n: i, tier: i % 3 === 0 ? 'gold' : 'silver', meta: { active: i % 2 === 0 } }, { id: `l${i}` });
    const gold = await d.find('ws', 'leads', { filter: { tier: 'gold' } });
    expect(gold.items.map((x) => x.id).sort()).toEqual(['l0', 'l3', 'l6']);
    const activeGold = await d.find('ws', 'leads', { filter: { tier: 'gold', 'meta.active': true } });
    expect(activeGold.items.map((x) => x.id).sort()).toEqual(['l0', 'l6']);
    expect((await d.find('ws', 'leads', { filter: { n: 4 } })).items.map((x) => x.id)).toEqual(['l4']);
    expect((await d.find('ws', 'leads', { filter: { n: '4' } })).items).toEqual([]);
    const pages = await collectPages((cursor) => d.find('ws', 'leads', cursor === undefined ? { limit: 4 } : { limit: 4, cursor }));
    expect(pages.map((p) => p.length)).toEqual([4, 4, 1]);
    expect(new Set(pages.flat().map((x) => x.id)).size).toBe(9);
  });

  it('filter values are literal JSON equality (never operators; null is not missing; arrays match whole); $ keys are a 400', async () => {
    const d = c.store.data;
    await d.insert('ws', 'eq', { n: 5, email: 'a@b.c', tags: ['x', 'y'] }, { id: 'a' });
    await d.insert('ws', 'eq', { n: { $gt: 2 }, email: null, tags: 'x' }, { id: 'b' });
    await d.insert('ws', 'eq', { n: 1 }, { id: 'c' });
    const ids = async (filter: Record<string, unknown>) => (await d.find('ws', 'eq', { filter: filter as never })).items.map((x) => x.id);
    expect(await ids({ n: { $gt: 2 } })).toEqual(['b']);
    expect(await ids({ email: { $ne: null } })).toEqual([]);
    expect(await ids({ email: null })).toEqual(['b']);
    expect(await ids({ tags: 'x' })).toEqual(['b']);
    expect(await ids({ tags: ['x', 'y'] })).toEqual(['a']);
    await expect(d.find('ws', 'eq', { filter: { 'n.$gt': 1 } })).rejects.toMatchObject({ code: 'OUT_ERR_VALIDATION', status: 400, details: [{ path: 'filter.n.$gt' }] });
  });

  it('delivers every change in order, filtered by workspace, collection and operation', async () => {
    const d = c.store.data;
    const feed = takeChanges(c.store, { after: await currentPosition(c.store), workspaceId: 'ws', collection: 'leads' }, 3);
    await d.insert('other-ws', 'leads', { x: 1 });
    await d.insert('ws', 'orders', { x: 1 });
    const doc = await d.insert('ws', 'leads', { name: 'Ada' });
    await d.update('ws', 'leads', doc.id, { score: 1 });
    await d.delete('ws', 'leads', doc.id);
    const events = await feed;
    expect(events.map((e) => [e.operation, e.documentId])).toEqual([
      ['insert', doc.id],
      ['update', doc.id],
      ['delete', doc.id],
    ]);
    expect(events[0]).toMatchObject({ workspaceId: 'ws', collection: 'leads', document: { name: 'Ada' } });
    expect(events[1]).toMatchObject({ document: { name: 'Ada', score: 1 }, before: { name: 'Ada' } });
    expect(events[2]).toMatchObject({ before: { name: 'Ada', score: 1 } });
    expect(events[2]?.document).toBeUndefined();
    const deletes = await takeChanges(c.store, { after: events[0]!.position, operations: ['delete'] }, 1);
    expect(deletes.map((e) => e.position)).toEqual([events[2]!.position]);
  });

  it('delivers every change exactly once across a restart from the saved position', async () => {
    if (!c.fixture.reopen) return;
    let store = c.store;
    const d = () => store.data;
    await store.triggers.saveFeedPosition('consumer-1', await currentPosition(store));
    for (let i = 1; i <= 5; i++) await d().insert('ws', 'leads', { n: i });
    // handle 3 of them, saving the position after each
    const handled: number[] = [];
    for (const e of await takeChanges(store, { after: await store.triggers.getFeedPosition('consumer-1'), workspaceId: 'ws' }, 3)) {
      handled.push(e.document?.n as number);
      await store.triggers.saveFeedPosition('consumer-1', e.position);
    }
    store = await c.fixture.reopen();
    for (let i = 6; i <= 8; i++) await d().insert('ws', 'leads', { n: i });
    for (const e of await takeChanges(store, { after: await store.triggers.getFeedPosition('consumer-1'), workspaceId: 'ws' }, 5)) {
      handled.push(e.document?.n as number);
      await store.triggers.saveFeedPosition('consumer-1', e.position);
    }
    expect(handled).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // nothing is delivered twice: from the saved position there is nothing left (absence needs a bounded wait)
    expect(await takeChanges(store, { after: await store.triggers.getFeedPosition('consumer-1'), workspaceId: 'ws' }, 1, 500)).toEqual([]);
  });
}
