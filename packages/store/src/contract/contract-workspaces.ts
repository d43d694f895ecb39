import { expect, it } from 'vitest';
import type { ContractContext } from './harness';

/** Workspaces and API keys. */
export function workspaceCases(c: ContractContext): void {
  it('creates, gets and lists workspaces; a duplicate id is a 409', async () => {
    const a = await c.store.workspaces.createWorkspace({ name: 'Acme', id: 'ws-a' });
    const b = await c.store.workspaces.createWorkspace({ name: 'Beta' });
    expect(a).toMatchObject({ id: 'ws-a', name: 'Acme' });
    expect(await c.store.workspaces.getWorkspace('ws-a')).toEqual(a);
    expect(await c.store.workspaces.getWorkspace('nope')).toBeNull();
    expect((await c.store.workspaces.listWorkspaces()).map((w) => w.id).sort()).toEqual([a.id, b.id].sort());
    await expect(c.store.workspaces.createWorkspace({ name: 'again', id: 'ws-a' })).rejects.toMatchObject({ code: 'OUT_ERR_CONFLICT', status: 409 });
  });

  it('creates API keys shown once, verifies them in constant time, and revokes them', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'Acme' });
    const { apiKey, info } = await c.store.workspaces.createApiKey(ws.id, { name: 'ci' });
    expect(apiKey).toMatch(/^out_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
    expect(apiKey.startsWith(`out_${info.prefix}_`)).toBe(true);
    expect(info).toMatchObject({ workspaceId: ws.id, name: 'ci', lastUsedAt: null });
    const listed = await c.store.workspaces.listApiKeys(ws.id);
    expect(listed).toEqual([info]);
    expect(JSON.stringify(listed)).not.toContain(apiKey.slice(13));

    const verified = await c.store.workspaces.verifyApiKey(apiKey);
    expect(verified?.id).toBe(info.id);
    expect(verified?.lastUsedAt).not.toBeNull();
    const tampered = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
    expect(await c.store.workspaces.verifyApiKey(tampered)).toBeNull();
    expect(await c.store.workspaces.verifyApiKey('out_nothing')).toBeNull();
    expect(await c.store.workspaces.verifyApiKey('')).toBeNull();

    expect(await c.store.workspaces.revokeApiKey(ws.id, info.id)).toBe(true);
    expect(await c.store.workspaces.revokeApiKey(ws.id, info.id)).toBe(false);
    expect(await c.store.workspaces.verifyApiKey(apiKey)).toBeNull();
    expect(await c.store.workspaces.listApiKeys(ws.id)).toEqual([]);
  });

  it('answers ping while open', async () => {
    await expect(c.store.ping()).resolves.toBeUndefined();
  });
}
