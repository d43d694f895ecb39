/**
 * Issue 19, finding 6 — one workspace must not exhaust the host. Each case reproduces an item of the finding
 * (unbounded versions, 50 MB list pages, hundreds of SSE streams from one key, minting keys to multiply the rate
 * limit, unbounded workflows and keys) and shows it bounded, answered with a code that names the quota.
 */
import { statSync } from 'node:fs';
import { createLimits, DEFAULT_LIMITS, type WorkspaceLimits } from '@outrun/config';
import { afterEach, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

const harnesses: ApiHarness[] = [];
async function api(limits: Partial<WorkspaceLimits> = {}, extra: Parameters<typeof startApi>[0] = {}): Promise<ApiHarness> {
  const h = await startApi({ limits: createLimits({ ...DEFAULT_LIMITS, ...limits }), ...extra });
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

/** A valid draft whose JSON is about `bytes` long (a padded node). */
function bigWorkflow(name: string, bytes: number, triggerId = `${name}-manual`) {
  const wf = simpleWorkflow(name, triggerId);
  return { ...wf, nodes: [...wf.nodes, { id: 'pad', type: 'noop', position: { x: 400, y: 0 }, data: { pad: 'x'.repeat(bytes) } }] };
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; details?: Array<{ path: string }> } }).error;
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('versions and stored bytes', () => {
  it('30 PUTs of a 1.5 MB workflow keep only the configured history: stored bytes and the file stay bounded', async () => {
    const h = await api({ versions: 5 });
    const wf = await h.api.createWorkflow(h.ws, bigWorkflow('big', 1_500_000));
    for (let i = 0; i < 30; i++) await h.api.updateWorkflow(h.ws, wf.id, bigWorkflow(`big-${i}`, 1_500_000, 'big-manual'));
    const versions = await h.api.listVersions(h.ws, wf.id, { limit: 100 });
    expect(versions.items.map((v) => v.version)).toEqual([31, 30, 29, 28, 27]);
    const usage = await h.temp.store.housekeeping.usage(h.ws);
    expect(usage.storedBytes).toBeLessThan(5 * 1_600_000); // was 31 versions ≈ 47 MB
    expect(statSync(h.temp.file).size).toBeLessThan(20_000_000); // freed pages are reused (was ≈ 47 MB + WAL)
    // the current version and old ones still read whole
    expect((await h.api.getVersion(h.ws, wf.id, 27)).name).toBe('big-25');
    expect(await h.api.getVersion(h.ws, wf.id, 3).catch((e: unknown) => e)).toMatchObject({ status: 404 });
  });

  it('refuses a save past the stored-bytes quota with 413 OUT_ERR_QUOTA_STORED_BYTES; data writes count too', async () => {
    const h = await api({ storedBytes: 3_000_000 });
    const wf = await h.api.createWorkflow(h.ws, bigWorkflow('big', 1_000_000));
    await h.api.updateWorkflow(h.ws, wf.id, bigWorkflow('big', 1_000_000, 'big-manual'));
    const res = await h.fetch(`/api/workspaces/${h.ws}/workflows/${wf.id}`, { ...json(bigWorkflow('big', 1_000_000, 'big-manual')), method: 'PUT' });
    expect(res.status).toBe(413);
    const error = await errorOf(res);
    expect(error.code).toBe('OUT_ERR_QUOTA_STORED_BYTES');
    expect(error.details?.[0]?.path).toBe('quota.storedBytes');
    expect((await h.api.getWorkflow(h.ws, wf.id)).version).toBe(2); // nothing saved
    const doc = await h.fetch(`/api/workspaces/${h.ws}/data/blobs`, json({ blob: 'y'.repeat(1_500_000) }));
    expect(doc.status).toBe(413);
    expect((await errorOf(doc)).code).toBe('OUT_ERR_QUOTA_STORED_BYTES');
    // another workspace has its own budget
    const other = await h.newWorkspace('other');
    await expect(other.api.createWorkflow(other.ws, bigWorkflow('fine', 1_000_000))).resolves.toMatchObject({ version: 1 });
  });
});

describe('counts', () => {
  it('caps workflows per workspace (409 OUT_ERR_QUOTA_WORKFLOWS) on create, import and template; archiving frees a slot', async () => {
    const h = await api({ workflows: 2 });
    const a = await h.api.createWorkflow(h.ws, simpleWorkflow('a', 'a-t'));
    const b = await h.api.createWorkflow(h.ws, simpleWorkflow('b', 'b-t'));
    const third = await h.fetch(`/api/workspaces/${h.ws}/workflows`, json(simpleWorkflow('c', 'c-t')));
    expect(third.status).toBe(409);
    expect(await errorOf(third)).toMatchObject({ code: 'OUT_ERR_QUOTA_WORKFLOWS', details: [{ path: 'quota.workflows' }] });
    const exported = await h.api.exportWorkflow(h.ws, b.id);
    expect(await h.api.importWorkflow(h.ws, exported).catch((e: unknown) => e)).toMatchObject({ status: 409, code: 'OUT_ERR_QUOTA_WORKFLOWS' });
    expect(await h.api.instantiateTemplate(h.ws, 'stripe-payments').catch((e: unknown) => e)).toMatchObject({ status: 409, code: 'OUT_ERR_QUOTA_WORKFLOWS' });
    await h.api.archiveWorkflow(h.ws, a.id);
    await expect(h.api.createWorkflow(h.ws, simpleWorkflow('c', 'c-t'))).resolves.toMatchObject({ status: 'draft' });
  });

  it('caps API keys per workspace (409 OUT_ERR_QUOTA_API_KEYS); revoking frees a slot', async () => {
    const h = await api({ apiKeys: 3 }); // the workspace's first key is one of them
    const keys = [await h.api.createApiKey(h.ws), await h.api.createApiKey(h.ws)];
    const refused = await h.api.createApiKey(h.ws).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, code: 'OUT_ERR_QUOTA_API_KEYS' });
    await h.api.revokeApiKey(h.ws, keys[0]!.id);
    await expect(h.api.createApiKey(h.ws)).resolves.toMatchObject({ prefix: expect.any(String) as string });
  });
});

describe('list pages bounded by bytes and summary shapes', () => {
  it('?limit=500 of 12 × 1 MB workflows: summaries are small; view=full ends each page at the byte budget with a cursor', async () => {
    const h = await api({ pageMaxBytes: 2_500_000 });
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await h.api.createWorkflow(h.ws, bigWorkflow(`w${i}`, 1_000_000))).id);
    const summaries = await h.fetch(`/api/workspaces/${h.ws}/workflows?limit=500`);
    const text = await summaries.text();
    expect(text.length).toBeLessThan(20_000); // was ≈ 12 MB: every graph
    const page = JSON.parse(text) as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    expect(page.items).toHaveLength(12);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toMatchObject({ nodeCount: 3, edgeCount: 1, triggerCount: 1 });
    expect(page.items[0]).not.toHaveProperty('nodes');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h.fetch(`/api/workspaces/${h.ws}/workflows?limit=500&view=full${cursor ? `&cursor=${cursor}` : ''}`);
      const body = await res.text();
      expect(body.length).toBeLessThan(2_500_000 + 1_100_000); // the budget, plus the one item that always fits
      const p = JSON.parse(body) as { items: Array<{ id: string; nodes: unknown[] }>; nextCursor: string | null };
      expect(p.items.length).toBeGreaterThan(0);
      expect(p.items.every((w) => w.nodes.length === 3)).toBe(true);
      seen.push(...p.items.map((w) => w.id));
      cursor = p.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(seen.sort()).toEqual([...ids].sort()); // every workflow exactly once
  });

  it('a versions list returns version metadata; the full version has its own route; view=full is capped too', async () => {
    const h = await api({ pageMaxBytes: 1_500_000 });
    const wf = await h.api.createWorkflow(h.ws, bigWorkflow('v', 600_000));
    for (let i = 0; i < 5; i++) await h.api.updateWorkflow(h.ws, wf.id, bigWorkflow(`v${i}`, 600_000, 'v-manual'));
    const res = await h.fetch(`/api/workspaces/${h.ws}/workflows/${wf.id}/versions?limit=500`);
    const text = await res.text();
    expect(text.length).toBeLessThan(5000);
    const list = JSON.parse(text) as { items: Array<{ version: number; sizeBytes: number }> };
    expect(list.items.map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(list.items[0]!.sizeBytes).toBeGreaterThan(600_000);
    expect((await h.api.getVersion(h.ws, wf.id, 6)).nodes).toHaveLength(3);
    const full = (await (await h.fetch(`/api/workspaces/${h.ws}/workflows/${wf.id}/versions?limit=500&view=full`)).json()) as { items: Array<{ version: number }>; nextCursor: string | null };
    expect(full.items.map((v) => v.version)).toEqual([6, 5]);
    expect(full.nextCursor).not.toBeNull();
  });

  it('caps run and data-document pages by bytes too', async () => {
    const h = await api({ pageMaxBytes: 1_000_000 });
    for (let i = 0; i < 5; i++) await h.api.insertDocument(h.ws, 'blobs', { i, blob: 'z'.repeat(400_000) });
    const first = await h.api.listDocuments(h.ws, 'blobs', { limit: 500 });
    expect(first.items).toHaveLength(2);
    const second = await h.api.listDocuments(h.ws, 'blobs', { limit: 500, cursor: first.nextCursor! });
    const third = await h.api.listDocuments(h.ws, 'blobs', { limit: 500, cursor: second.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect([...first.items, ...second.items, ...third.items].map((d) => d.data.i as number).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(third.nextCursor).toBeNull();
    const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('r', 'r-t'));
    for (let i = 0; i < 4; i++) await h.api.runWorkflow(h.ws, wf.id, { payload: { i, blob: 'p'.repeat(400_000) } });
    const runs = await h.api.listRuns(h.ws, { limit: 500 });
    expect(runs.items).toHaveLength(2);
    expect(runs.nextCursor).not.toBeNull();
  });
});

describe('SSE streams per key and per workspace', () => {
  it('250 streams from one key: the 11th is refused with 429 OUT_ERR_QUOTA_STREAMS; closing one frees a slot', async () => {
    const h = await api(); // the defaults: 10 per key, 50 per workspace
    const open: AbortController[] = [];
    // Held until the end: Node 26's fetch closes the connection of a response that is garbage-collected unread.
    const streams: Response[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 250; i++) {
      const ac = new AbortController();
      const res = await h.fetch(`/api/workspaces/${h.ws}/events`, { signal: ac.signal });
      statuses.push(res.status);
      if (res.status === 200) {
        open.push(ac);
        streams.push(res);
      }
      else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const refused = await h.fetch(`/api/workspaces/${h.ws}/events`);
    expect(await errorOf(refused)).toMatchObject({ code: 'OUT_ERR_QUOTA_STREAMS', details: [{ path: 'quota.streamsPerKey' }] });
    open.shift()!.abort();
    const deadline = Date.now() + 5000;
    let again = await h.fetch(`/api/workspaces/${h.ws}/events`);
    while (again.status === 429 && Date.now() < deadline) {
      await again.body?.cancel();
      await new Promise((r) => setTimeout(r, 20)); // the server notices the closed socket
      again = await h.fetch(`/api/workspaces/${h.ws}/events`);
    }
    expect(again.status).toBe(200);
    await again.body?.cancel();
    for (const ac of open) ac.abort();
    expect(streams).toHaveLength(10);
  });

  it('more keys do not buy more streams: the workspace limit holds across keys', async () => {
    const h = await api({ streamsPerKey: 2, streamsPerWorkspace: 3 });
    const second = await h.api.createApiKey(h.ws);
    const streams = [];
    for (const key of [h.apiKey, h.apiKey, second.apiKey]) streams.push(await h.fetch(`/api/workspaces/${h.ws}/events`, { apiKey: key }));
    expect(streams.map((r) => r.status)).toEqual([200, 200, 200]);
    const fourth = await h.fetch(`/api/workspaces/${h.ws}/events`, { apiKey: second.apiKey });
    expect(fourth.status).toBe(429);
    expect(await errorOf(fourth)).toMatchObject({ code: 'OUT_ERR_QUOTA_STREAMS', details: [{ path: 'quota.streamsPerWorkspace' }] });
    for (const s of streams) await s.body?.cancel();
  });
});

describe('rate limits per workspace, not only per key', () => {
  it('minting ten keys does not multiply the budget: the workspace bucket answers 429 across keys', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const h = await api({ rateLimit: { rps: 1, burst: 5 } }, { rateLimit: { rps: 20, burst: 100 }, clock: { now: () => now } });
    // keys minted straight in the store, so minting spends none of the budget
    const keys = await Promise.all(Array.from({ length: 10 }, () => h.temp.store.workspaces.createApiKey(h.ws)));
    const statuses: number[] = [];
    for (const key of keys) statuses.push((await h.fetch(`/api/workspaces/${h.ws}/workflows`, { apiKey: key.apiKey })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    const res = await h.fetch(`/api/workspaces/${h.ws}/workflows`, { apiKey: keys[9]!.apiKey });
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await errorOf(res)).toMatchObject({ code: 'OUT_ERR_RATE_LIMITED', details: [{ path: 'rateLimit.workspace' }] });
    // another workspace is not starved by this one
    const other = await h.newWorkspace('other');
    expect((await h.fetch(`/api/workspaces/${other.ws}/workflows`, { apiKey: other.apiKey })).status).toBe(200);
    now += 1000;
    expect((await h.fetch(`/api/workspaces/${h.ws}/workflows`, { apiKey: keys[0]!.apiKey })).status).toBe(200);
  });
});
