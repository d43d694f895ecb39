/**
 * "Credential used by edit": a save (create, `PUT`, draft autosave, publish, version restore) that makes a workflow
 * start using a credential appends `credential.used` (target the credential, the workflow and version or draft in
 * the details) once per newly used credential, never a secret; saves that keep using it append nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@outrun/schemas';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

const SECRET = 'sk-never-in-the-audit-log-0123456789';

/** `simpleWorkflow` plus an HTTP step using `credentialId` (and a webhook trigger using `hookCredential`). */
function usingCredentials(name: string, triggerId: string, credentialId?: string) {
  const wf = simpleWorkflow(name, triggerId);
  return {
    ...wf,
    nodes: [...wf.nodes, { id: 'call', type: 'http-request', position: { x: 400, y: 0 }, data: { method: 'GET', url: 'https://api.example.com/x', ...(credentialId ? { credentialId } : {}) } }],
    edges: [...wf.edges, { id: 'e2', source: 'set', target: 'call' }],
  };
}

async function used(): Promise<AuditEntry[]> {
  return (await h.temp.store.accounts.listAudit(h.ws, { action: 'credential.used' })).items.reverse();
}

describe('audit: credential used by edit', () => {
  it('create, PUT, draft, publish and restore each record a credential a workflow starts to use, once', async () => {
    const a = await h.api.createCredential(h.ws, { name: 'api A', type: 'http_bearer', data: { token: SECRET }, allowedHosts: ['api.example.com'] });
    const b = await h.api.createCredential(h.ws, { name: 'api B', type: 'http_bearer', data: { token: SECRET }, allowedHosts: ['api.example.com'] });

    // create with A → one entry (version 1)
    const wf = await h.api.createWorkflow(h.ws, usingCredentials('calls', 'm-1', a.id));
    expect((await used()).map((e) => [e.target?.id, e.details])).toEqual([[a.id, { workflowId: wf.id, version: 1 }]]);

    // PUT keeping A and naming a credential id that does not exist → nothing new
    await h.api.updateWorkflow(h.ws, wf.id, { ...usingCredentials('calls', 'm-1', a.id), nodes: [...usingCredentials('calls', 'm-1', a.id).nodes, { id: 'ghost', type: 'http-request', position: { x: 600, y: 0 }, data: { method: 'GET', url: 'https://api.example.com/y', credentialId: 'no-such-credential' } }] });
    expect(await used()).toHaveLength(1);

    // a draft switching to B → one entry marked draft; autosaving the same draft again → none
    await h.api.saveDraft(h.ws, wf.id, usingCredentials('calls', 'm-1', b.id));
    await h.api.saveDraft(h.ws, wf.id, usingCredentials('calls', 'm-1', b.id));
    let entries = await used();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ target: { type: 'credential', id: b.id }, details: { workflowId: wf.id, draft: true, baseVersion: 2 }, actor: { type: 'api_key' } });

    // publishing the draft puts B live → an entry with the published version
    const published = await h.api.publishWorkflow(h.ws, wf.id);
    entries = await used();
    expect(entries).toHaveLength(3);
    expect(entries[2]).toMatchObject({ target: { id: b.id }, afterVersion: published.version, details: { workflowId: wf.id, version: published.version } });

    // restoring version 1 brings A back → an entry for A
    const restored = await h.api.restoreVersion(h.ws, wf.id, 1);
    entries = await used();
    expect(entries.map((e) => [e.target?.id, e.details?.version])).toEqual([[a.id, 1], [b.id, undefined], [b.id, published.version], [a.id, restored.version]]);

    // a workflow without credentials, and a save that drops one, record nothing
    const plain = await h.api.createWorkflow(h.ws, usingCredentials('plain', 'm-2'));
    await h.api.updateWorkflow(h.ws, wf.id, usingCredentials('calls', 'm-1'));
    expect(await used()).toHaveLength(4);
    expect(plain.id).toBeTruthy();

    // never the secret
    const all = await h.temp.store.accounts.listAudit(h.ws, { limit: 200 });
    expect(JSON.stringify(all)).not.toContain(SECRET);
  });

  it('an import is audited as a creation and records the credentials it uses', async () => {
    const c = await h.api.createCredential(h.ws, { name: 'api C', type: 'http_bearer', data: { token: SECRET }, allowedHosts: ['api.example.com'] });
    const source = await h.api.createWorkflow(h.ws, usingCredentials('exported', 'm-3', c.id));
    const imported = await h.api.importWorkflow(h.ws, await h.api.exportWorkflow(h.ws, source.id));
    const entries = (await used()).filter((e) => e.details?.workflowId === imported.id);
    expect(entries.map((e) => [e.target?.id, e.details])).toEqual([[c.id, { workflowId: imported.id, version: imported.version }]]);
    const created = (await h.temp.store.accounts.listAudit(h.ws, { action: 'workflow.created' })).items.filter((e) => e.target?.id === imported.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ details: { via: 'import' } });
  });

  it('a webhook trigger naming a credential counts too', async () => {
    const c = await h.api.createCredential(h.ws, { name: 'hook secret', type: 'webhook_secret', data: { secrets: ['whsec-0123456789abcdef'] } });
    const wf = await h.api.createWorkflow(h.ws, {
      name: 'hooked',
      triggers: [{ id: 'hook-1', type: 'webhook', config: { auth: { type: 'hmac', credentialId: c.id } } }],
      nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'hook-1' } }],
      edges: [],
    });
    const entries = (await used()).filter((e) => e.target?.id === c.id);
    expect(entries.map((e) => e.details)).toEqual([{ workflowId: wf.id, version: 1 }]);
  });
});
