import { OutrunApiError } from '@outrun/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

async function apiError(p: Promise<unknown>): Promise<OutrunApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OutrunApiError) return err;
    throw err;
  }
  throw new Error('expected an OutrunApiError');
}

describe('workspaces and API keys', () => {
  it('creates a workspace only with the admin token', async () => {
    const noToken = await h.fetch('/api/workspaces', { method: 'POST', apiKey: null, headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(noToken.status).toBe(401);
    const withKey = await h.fetch('/api/workspaces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(withKey.status).toBe(401);
    const ok = await h.fetch('/api/workspaces', { method: 'POST', apiKey: ADMIN_TOKEN, headers: { 'content-type': 'application/json' }, body: '{"name":"ok"}' });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { workspace: { id: string; name: string }; apiKey: string };
    expect(body.workspace.name).toBe('ok');
    expect(body.apiKey).toMatch(/^out_/);
    // the admin token cannot read workspaces
    expect((await h.fetch(`/api/workspaces/${body.workspace.id}`, { apiKey: ADMIN_TOKEN })).status).toBe(401);
  });

  it('creates, lists without secrets, and revokes keys', async () => {
    const created = await h.api.createApiKey(h.ws, { name: 'ci' });
    expect(created.apiKey).toMatch(/^out_/);
    const list = await h.api.listApiKeys(h.ws);
    expect(list.items.map((k) => k.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.apiKey);
    await h.api.revokeApiKey(h.ws, created.id);
    const revoked = await h.fetch(`/api/workspaces/${h.ws}`, { apiKey: created.apiKey });
    expect(revoked.status).toBe(401);
    expect((await apiError(h.api.revokeApiKey(h.ws, created.id))).status).toBe(404);
  });

  it('tells a key which workspace it belongs to', async () => {
    expect(await h.api.getWorkspace(h.ws)).toMatchObject({ id: h.ws, name: 'first' });
  });

  it('answers 401 without a key and 404 JSON for unknown routes', async () => {
    const res = await h.fetch(`/api/workspaces/${h.ws}/workflows`, { apiKey: null });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_UNAUTHENTICATED');
    const unknown = await h.fetch('/api/nope');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_NOT_FOUND');
  });
});

describe('workflows', () => {
  it('creates a draft v1, lists by status, replaces into v2 with expectedVersion', async () => {
    const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('crud', 'crud-manual'));
    expect(wf).toMatchObject({ status: 'draft', version: 1, name: 'crud' });
    const drafts = await h.api.listWorkflows(h.ws, { status: 'draft' });
    expect(drafts.items.map((w) => w.id)).toContain(wf.id);
    const v2 = await h.api.updateWorkflow(h.ws, wf.id, { ...simpleWorkflow('crud renamed', 'crud-manual') }, { expectedVersion: 1 });
    expect(v2.version).toBe(2);
    const stale = await apiError(h.api.updateWorkflow(h.ws, wf.id, simpleWorkflow('x', 'crud-manual'), { expectedVersion: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.code).toBe('OUT_ERR_VERSION_CONFLICT');
    expect((await h.api.getWorkflow(h.ws, wf.id)).name).toBe('crud renamed');
    const unknownOnPut = await apiError(h.api.updateWorkflow(h.ws, wf.id, { ...simpleWorkflow('x', 'crud-manual'), bogus: true } as never));
    expect(unknownOnPut.details).toContainEqual(expect.objectContaining({ path: 'body.bogus' }));
    expect((await h.api.getWorkflow(h.ws, wf.id)).version).toBe(2);
  });

  it('rejects unknown fields, bad params and invalid JSON with details', async () => {
    const err = await apiError(h.api.createWorkflow(h.ws, { ...simpleWorkflow('bad', 'bad-1'), surprise: 1 } as never));
    expect(err.status).toBe(400);
    expect(err.code).toBe('OUT_ERR_VALIDATION');
    expect(err.details).toContainEqual(expect.objectContaining({ path: 'body.surprise' }));
    const nested = await apiError(h.api.createWorkflow(h.ws, { name: 'n', nodes: [{ id: 'a', type: 't', position: { x: 'no', y: 0 } }] } as never));
    expect(nested.details.map((d) => d.path)).toContain('body.nodes.0.position.x');
    const bad = await h.fetch(`/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_INVALID_JSON');
    const notJson = await h.fetch(`/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(notJson.status).toBe(400);
    const badQuery = await h.fetch(`/api/workspaces/${h.ws}/workflows?status=nope&limit=9999`);
    const q = (await badQuery.json()) as { error: { details: Array<{ path: string }> } };
    expect(badQuery.status).toBe(400);
    expect(q.error.details.map((d) => d.path).sort()).toEqual(['query.limit', 'query.status']);
  });

  it('rejects bodies over 2 MiB with 413', async () => {
    const big = JSON.stringify({ ...simpleWorkflow('big', 'big-1'), description: 'x'.repeat(2 * 1024 * 1024 + 10) });
    const res = await h.fetch(`/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_PAYLOAD_TOO_LARGE');
  });

  it('refuses a trigger id another workflow of the workspace uses', async () => {
    await h.api.createWorkflow(h.ws, simpleWorkflow('one', 'shared-trigger'));
    const err = await apiError(h.api.createWorkflow(h.ws, simpleWorkflow('two', 'shared-trigger')));
    expect(err.status).toBe(409);
    expect(err.details[0]?.path).toBe('triggers.0.id');
  });

  it('activate validates and lists every problem with its path; pause; archive', async () => {
    const broken = await h.api.createWorkflow(h.ws, {
      name: 'broken',
      triggers: [{ id: 'broken-hook', type: 'webhook' }],
      nodes: [
        { id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'broken-hook' } },
        { id: 'h', type: 'http-request', position: { x: 1, y: 0 }, data: { url: 'not a url' } },
        { id: 'x', type: 'no-such-node', position: { x: 2, y: 0 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 't', target: 'h' }, { id: 'e2', source: 'h', target: 'x' }],
    });
    const err = await apiError(h.api.activateWorkflow(h.ws, broken.id));
    expect(err.status).toBe(422);
    expect(err.code).toBe('OUT_ERR_WORKFLOW_INVALID');
    const paths = err.details.map((d) => d.path);
    expect(paths).toContain('nodes.1.data.url');
    expect(paths.some((p) => p.startsWith('nodes.2'))).toBe(true);
    expect((await h.api.getWorkflow(h.ws, broken.id)).status).toBe('draft');

    const checked = await h.api.validateWorkflow(h.ws, { ...simpleWorkflow('probe', 'probe-manual'), edges: [{ id: 'e', source: 'start', target: 'nowhere' }] });
    expect(checked.valid).toBe(false);
    expect(checked.problems.map((p) => p.path)).toContain('edges.0.target');
    expect(await h.api.validateWorkflow(h.ws, simpleWorkflow('probe', 'probe-manual'))).toEqual({ valid: true, problems: [] });
    const good = await h.api.createWorkflow(h.ws, simpleWorkflow('good', 'good-manual'));
    expect((await h.api.activateWorkflow(h.ws, good.id)).status).toBe('active');
    // an active workflow cannot be saved into an invalid state
    const invalidSave = await apiError(h.api.updateWorkflow(h.ws, good.id, { ...simpleWorkflow('good', 'good-manual'), edges: [{ id: 'e', source: 'start', target: 'ghost' }] }));
    expect(invalidSave.status).toBe(422);
    expect((await h.api.pauseWorkflow(h.ws, good.id)).status).toBe('paused');
    await h.api.archiveWorkflow(h.ws, good.id);
    expect((await h.api.getWorkflow(h.ws, good.id)).status).toBe('archived');
    expect((await apiError(h.api.activateWorkflow(h.ws, good.id))).status).toBe(409);
    expect((await apiError(h.api.getWorkflow(h.ws, 'missing'))).status).toBe(404);
  });

  it('autosaves drafts without new versions; publish makes the draft live with a message; runs use the live version', async () => {
    const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('live', 'draft-manual'));
    await h.api.activateWorkflow(h.ws, wf.id);
    expect(await h.api.getDraft(h.ws, wf.id)).toEqual({ draft: null });
    for (const name of ['d1', 'd2', 'draft']) await h.api.saveDraft(h.ws, wf.id, simpleWorkflow(name, 'draft-manual'));
    expect(await h.api.getDraft(h.ws, wf.id)).toMatchObject({ draft: { name: 'draft', baseVersion: 1 } });
    expect(await h.api.getWorkflow(h.ws, wf.id)).toMatchObject({ name: 'live', version: 1, status: 'active' });
    expect((await h.api.listVersions(h.ws, wf.id)).items.map((v) => v.version)).toEqual([1]);
    const accepted = await h.api.runWorkflow(h.ws, wf.id, { payload: {} });
    expect((await h.api.getRun(h.ws, accepted.runId)).workflowVersion).toBe(1);

    // An active workflow must stay valid: a broken draft is saved but not published.
    await h.api.saveDraft(h.ws, wf.id, { ...simpleWorkflow('broken', 'draft-manual'), edges: [{ id: 'e1', source: 'start', target: 'nowhere' }] });
    expect((await apiError(h.api.publishWorkflow(h.ws, wf.id))).status).toBe(422);
    await h.api.saveDraft(h.ws, wf.id, simpleWorkflow('draft', 'draft-manual'));
    const published = await h.api.publishWorkflow(h.ws, wf.id, { message: 'rename' });
    expect(published).toMatchObject({ name: 'draft', version: 2, status: 'active' });
    expect(await h.api.getDraft(h.ws, wf.id)).toEqual({ draft: null });
    expect((await h.api.listVersions(h.ws, wf.id)).items.map((v) => [v.version, v.message])).toEqual([[2, 'rename'], [1, undefined]]);
    expect((await apiError(h.api.publishWorkflow(h.ws, wf.id))).status).toBe(409);

    // A draft edited from an older live version does not overwrite a newer one.
    await h.api.saveDraft(h.ws, wf.id, simpleWorkflow('stale draft', 'draft-manual'));
    await h.api.updateWorkflow(h.ws, wf.id, simpleWorkflow('published by PUT', 'draft-manual'), { expectedVersion: 2 });
    const stale = await apiError(h.api.publishWorkflow(h.ws, wf.id));
    expect([stale.status, stale.code]).toEqual([409, 'OUT_ERR_VERSION_CONFLICT']);
    await h.api.discardDraft(h.ws, wf.id);
    expect(await h.api.getDraft(h.ws, wf.id)).toEqual({ draft: null });
    await h.api.pauseWorkflow(h.ws, wf.id);
  });

  it('keeps versions; restore makes a new version equal to the old one', async () => {
    const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('v-one', 'ver-manual'));
    await h.api.updateWorkflow(h.ws, wf.id, simpleWorkflow('v-two', 'ver-manual'));
    const versions = await h.api.listVersions(h.ws, wf.id);
    expect(versions.items.map((v) => v.version).sort()).toEqual([1, 2]);
    expect((await h.api.getVersion(h.ws, wf.id, 1)).name).toBe('v-one');
    const restored = await h.api.restoreVersion(h.ws, wf.id, 1);
    expect(restored).toMatchObject({ version: 3, name: 'v-one' });
    expect((await apiError(h.api.getVersion(h.ws, wf.id, 99))).status).toBe(404);
    const badV = await h.fetch(`/api/workspaces/${h.ws}/workflows/${wf.id}/versions/zero`);
    expect(badV.status).toBe(400);
  });

  it('export → import → export is exact (other workspace and same workspace)', async () => {
    const source = await h.api.createWorkflow(h.ws, {
      ...simpleWorkflow('portable', 'port-manual'),
      description: 'round trip',
      tags: ['a', 'b'],
      triggers: [{ id: 'port-manual', type: 'manual' }, { id: 'port-hook', type: 'webhook', config: { auth: { type: 'hmac' }, responseMode: 'sync' } }],
      settings: { timeout: 12_345, concurrency: 3 },
    });
    const exported = await h.api.exportWorkflow(h.ws, source.id);
    expect(exported.schemaVersion).toBe(1);
    const other = await h.newWorkspace('other');
    const imported = await other.api.importWorkflow(other.ws, exported);
    expect(imported.status).toBe('draft');
    const again = await other.api.exportWorkflow(other.ws, imported.id);
    expect(again.workflow).toEqual(exported.workflow);
    // same workspace: trigger ids are taken, so they are renamed (and the trigger node follows)
    const copy = await h.api.importWorkflow(h.ws, exported);
    expect(copy.triggers.map((t) => t.id)).not.toContain('port-manual');
    const startNode = copy.nodes.find((n) => n.id === 'start');
    expect(startNode?.data.triggerId).toBe(copy.triggers[0]?.id);
    const badImport = await apiError(h.api.importWorkflow(h.ws, { ...exported, schemaVersion: 2 } as never));
    expect(badImport.details[0]?.path).toBe('body.schemaVersion');
  });

  it('serves templates and instantiates one as a draft with fresh trigger ids', async () => {
    const list = await h.api.listTemplates();
    expect(list.items.length).toBeGreaterThanOrEqual(8);
    const one = await h.api.getTemplate('stripe-payments');
    const a = await h.api.instantiateTemplate(h.ws, 'stripe-payments');
    const b = await h.api.instantiateTemplate(h.ws, 'stripe-payments', { name: 'Stripe #2' });
    expect(a.status).toBe('draft');
    expect(b.name).toBe('Stripe #2');
    expect(a.triggers[0]?.id).not.toBe(b.triggers[0]?.id);
    expect(a.nodes.length).toBe(one.workflow.nodes.length);
    expect((await apiError(h.api.instantiateTemplate(h.ws, 'nope'))).status).toBe(404);
  });

  it('serves the node catalog', async () => {
    const nodes = await h.api.listNodes();
    const types = nodes.map((n) => n.type);
    expect(types).toEqual(expect.arrayContaining(['trigger', 'http-request', 'condition', 'data-write']));
    expect(nodes.find((n) => n.type === 'condition')?.outputs.map((o) => o.id)).toEqual(['true', 'false']);
  });
});
