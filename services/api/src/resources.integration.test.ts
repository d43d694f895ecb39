import { type OutrunApiError } from '@outrun/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi({ publicBaseUrl: 'https://hooks.outrun.test', clock: { now: () => Date.parse('2026-01-05T10:02:00Z') } });
});
afterAll(async () => {
  await h.close();
});

const apiError = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected failure');
    },
    (err: unknown) => err as OutrunApiError,
  );

describe('data collections', () => {
  it('inserts, lists with an equality filter, gets, patches and deletes — each a change event', async () => {
    // a fresh store: position 0 is before every change of this test
    const feed = h.temp.store.data.changes({ workspaceId: h.ws, collection: 'leads', after: '0', signal: AbortSignal.timeout(10_000) });
    const { id } = await h.api.insertDocument(h.ws, 'leads', { email: 'a@x.io', tier: 'gold' });
    await h.api.insertDocument(h.ws, 'leads', { email: 'b@x.io', tier: 'silver' });
    const gold = await h.api.listDocuments(h.ws, 'leads', { filter: { tier: 'gold' } });
    expect(gold.items.map((d) => d.data.email)).toEqual(['a@x.io']);
    expect((await h.api.getDocument(h.ws, 'leads', id)).data).toEqual({ email: 'a@x.io', tier: 'gold' });
    const patched = await h.api.updateDocument(h.ws, 'leads', id, { tier: 'platinum' });
    expect(patched.data).toEqual({ email: 'a@x.io', tier: 'platinum' });
    await h.api.deleteDocument(h.ws, 'leads', id);
    expect((await apiError(h.api.getDocument(h.ws, 'leads', id))).status).toBe(404);
    expect((await apiError(h.api.deleteDocument(h.ws, 'leads', id))).status).toBe(404);
    expect((await apiError(h.api.updateDocument(h.ws, 'leads', id, { a: 1 }))).status).toBe(404);
    expect((await h.api.listCollections(h.ws)).items).toContain('leads');
    const ops: string[] = [];
    for await (const change of feed) {
      ops.push(change.operation);
      if (ops.length === 4) break;
    }
    expect(ops).toEqual(['insert', 'insert', 'update', 'delete']);
  });

  it('validates collection names, filters and bodies', async () => {
    expect((await apiError(h.api.insertDocument(h.ws, 'bad name!', { a: 1 }))).details[0]?.path).toBe('params.collection');
    const badFilter = await h.fetch(`/api/workspaces/${h.ws}/data/leads?filter=${encodeURIComponent('[1,2]')}`);
    expect(badFilter.status).toBe(400);
    const arrayBody = await h.fetch(`/api/workspaces/${h.ws}/data/leads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' });
    expect(arrayBody.status).toBe(400);
  });
});

describe('credentials', () => {
  it('creates, lists and deletes without ever returning data', async () => {
    const info = await h.api.createCredential(h.ws, { name: 'crm', type: 'http_bearer', data: { token: 'tok-very-secret' }, allowedHosts: ['https://api.crm.example'] });
    expect(info).toMatchObject({ name: 'crm', type: 'http_bearer', allowedHosts: ['https://api.crm.example'] });
    expect(JSON.stringify(info)).not.toContain('tok-very-secret');
    const list = await h.api.listCredentials(h.ws);
    expect(list.items.map((c) => c.id)).toContain(info.id);
    expect(JSON.stringify(list)).not.toContain('tok-very-secret');
    await h.api.deleteCredential(h.ws, info.id);
    expect((await apiError(h.api.deleteCredential(h.ws, info.id))).status).toBe(404);
    expect((await apiError(h.api.createCredential(h.ws, { name: 'x', type: 'nope' as never, data: {} }))).details[0]?.path).toBe('body.type');
  });

  it('binds HTTP credentials to hosts chosen at creation; PATCH replaces them, validated', async () => {
    const missing = await apiError(h.api.createCredential(h.ws, { name: 'crm', type: 'http_bearer', data: { token: 't' } }));
    expect([missing.status, missing.details[0]?.path]).toEqual([400, 'body.allowedHosts']);
    const bad = await apiError(h.api.createCredential(h.ws, { name: 'crm', type: 'http_header', data: { name: 'x-key', value: 'v' }, allowedHosts: ['*'] }));
    expect(bad.details[0]?.path).toBe('body.allowedHosts.0');
    const info = await h.api.createCredential(h.ws, { name: 'crm', type: 'http_header', data: { name: 'x-key', value: 'v' }, allowedHosts: ['API.crm.example'] });
    expect(info.allowedHosts).toEqual(['api.crm.example']);
    const updated = await h.api.setCredentialHosts(h.ws, info.id, ['https://api.crm.example', '*.crm.example']);
    expect(updated.allowedHosts).toEqual(['https://api.crm.example', '*.crm.example']);
    expect((await apiError(h.api.setCredentialHosts(h.ws, info.id, []))).details[0]?.path).toBe('body.allowedHosts');
    expect((await apiError(h.api.setCredentialHosts(h.ws, 'missing', ['a.example']))).status).toBe(404);
  });
});

describe('triggers', () => {
  it('shows the webhook URL, next five fire times and statistics', async () => {
    const wf = await h.api.createWorkflow(h.ws, {
      name: 'triggers',
      triggers: [
        { id: 'tr-hook', type: 'webhook', config: { auth: { type: 'hmac' } } },
        { id: 'tr-cron', type: 'schedule', config: { cron: '*/15 * * * *', timezone: 'UTC' } },
      ],
      nodes: [
        { id: 'a', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'tr-hook' } },
        { id: 'b', type: 'trigger', position: { x: 0, y: 1 }, data: { triggerId: 'tr-cron' } },
        { id: 'c', type: 'noop', position: { x: 1, y: 0 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'a', target: 'c' }, { id: 'e2', source: 'b', target: 'c' }],
    });
    expect(wf.triggers[0]).toMatchObject({ config: { webhookUrl: `/webhook/${h.ws}/tr-hook` } });
    const hook = await h.api.getTrigger(h.ws, wf.id, 'tr-hook');
    expect(hook.webhookUrl).toBe(`https://hooks.outrun.test/webhook/${h.ws}/tr-hook`);
    expect(hook.nextFireTimes).toBeNull();
    expect(hook.stats).toMatchObject({ fires: 0, authFailures: 0 });
    const cron = await h.api.getTrigger(h.ws, wf.id, 'tr-cron');
    expect(cron.nextFireTimes).toEqual(['2026-01-05T10:15:00.000Z', '2026-01-05T10:30:00.000Z', '2026-01-05T10:45:00.000Z', '2026-01-05T11:00:00.000Z', '2026-01-05T11:15:00.000Z']);
    expect(cron.webhookUrl).toBeNull();
    expect((await apiError(h.api.getTrigger(h.ws, wf.id, 'nope'))).status).toBe(404);
    const { runId, statusUrl } = await h.api.runWorkflow(h.ws, wf.id);
    expect(statusUrl).toBe(`https://hooks.outrun.test/api/workspaces/${h.ws}/runs/${runId}`);
  });

  it('rotates a signing secret: creates the credential once, keeps the previous secret, max two', async () => {
    const wf = await h.api.createWorkflow(h.ws, {
      name: 'rotation',
      triggers: [{ id: 'rot-hook', type: 'webhook', config: { auth: { type: 'hmac' } } }, { id: 'rot-open', type: 'webhook' }],
      nodes: [{ id: 'a', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'rot-hook' } }],
      edges: [],
    });
    const first = await h.api.rotateTriggerSecret(h.ws, wf.id, 'rot-hook');
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(first.secret.slice(6), 'base64')).toHaveLength(24);
    expect(first.workflowVersion).toBe(2);
    const linked = await h.api.getWorkflow(h.ws, wf.id);
    expect(linked.triggers[0]).toMatchObject({ config: { auth: { type: 'hmac', credentialId: first.credentialId } } });
    const second = await h.api.rotateTriggerSecret(h.ws, wf.id, 'rot-hook');
    const third = await h.api.rotateTriggerSecret(h.ws, wf.id, 'rot-hook');
    expect(third.credentialId).toBe(first.credentialId);
    expect(third.workflowVersion).toBe(2);
    const stored = await h.temp.store.credentials.getSecret(h.ws, first.credentialId);
    expect(stored).toEqual({ secrets: [third.secret, second.secret] });
    const listed = await h.api.listCredentials(h.ws);
    expect(listed.items.find((c) => c.id === first.credentialId)?.type).toBe('webhook_secret');
    expect((await apiError(h.api.rotateTriggerSecret(h.ws, wf.id, 'rot-open'))).status).toBe(409);
  });

  it('revokes the previous secret now on request, announces the change, and never overwrites a credential that is not a webhook_secret', async () => {
    const token = await h.api.createCredential(h.ws, { name: 'crm token', type: 'http_bearer', data: { token: 'crm-token-keep-me' }, allowedHosts: ['api.crm.example'] });
    const wf = await h.api.createWorkflow(h.ws, {
      name: 'rotation 2',
      triggers: [
        { id: 'rev-hook', type: 'webhook', config: { auth: { type: 'hmac' } } },
        { id: 'foreign-hook', type: 'webhook', config: { auth: { type: 'header', headerName: 'X-Token', credentialId: token.id } } },
      ],
      nodes: [{ id: 'a', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'rev-hook' } }],
      edges: [],
    });
    const refused = await apiError(h.api.rotateTriggerSecret(h.ws, wf.id, 'foreign-hook'));
    expect([refused.status, refused.code]).toEqual([409, 'OUT_ERR_CONFLICT']);
    expect(await h.temp.store.credentials.getSecret(h.ws, token.id)).toEqual({ token: 'crm-token-keep-me' });

    const announced: unknown[] = [];
    const unsubscribe = await h.deps.events.subscribe('credentials', (m) => announced.push(m));
    try {
      const first = await h.api.rotateTriggerSecret(h.ws, wf.id, 'rev-hook');
      await h.api.rotateTriggerSecret(h.ws, wf.id, 'rev-hook');
      const revoked = await h.api.rotateTriggerSecret(h.ws, wf.id, 'rev-hook', { revokePrevious: true });
      expect(revoked.activeSecrets).toBe(1);
      expect(await h.temp.store.credentials.getSecret(h.ws, first.credentialId)).toEqual({ secrets: [revoked.secret] });
      expect(announced).toContainEqual({ workspaceId: h.ws, credentialId: first.credentialId });
    } finally {
      await unsubscribe();
    }
  });
});
