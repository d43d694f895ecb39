import { expect, it } from 'vitest';
import type { ContractContext } from './harness';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const HOUR = 3_600_000;

/** Users, memberships, sessions, link tokens, audit log, API key roles and expiry. */
export function accountCases(c: ContractContext): void {
  it('creates users with unique case-insensitive emails and keeps only the given hash', async () => {
    const a = c.store.accounts;
    expect(await a.countUsers()).toBe(0);
    const owner = await a.createUser({ email: 'Ada@Example.com', passwordHash: '$argon2id$v=19$fake', instanceOwner: true, name: 'Ada' });
    expect(owner).toMatchObject({ email: 'ada@example.com', instanceOwner: true, name: 'Ada' });
    await expect(a.createUser({ email: 'ADA@example.com', passwordHash: null })).rejects.toMatchObject({ status: 409 });
    expect(await a.countUsers()).toBe(1);
    expect(await a.getUser(owner.id)).toEqual(owner);
    expect(await a.getUser('nobody')).toBeNull();
    expect(await a.findUserByEmail('ada@EXAMPLE.com')).toEqual({ user: owner, passwordHash: '$argon2id$v=19$fake' });
    expect(await a.findUserByEmail('eve@example.com')).toBeNull();
    expect(await a.setPasswordHash(owner.id, '$argon2id$new')).toBe(true);
    expect(await a.setPasswordHash('nobody', 'x')).toBe(false);
    expect((await a.findUserByEmail('ada@example.com'))?.passwordHash).toBe('$argon2id$new');
  });

  it('sets, changes, lists and removes memberships per workspace', async () => {
    const a = c.store.accounts;
    const w1 = await c.store.workspaces.createWorkspace({ name: 'One' });
    const w2 = await c.store.workspaces.createWorkspace({ name: 'Two' });
    const ada = await a.createUser({ email: 'ada@example.com', passwordHash: null });
    const bob = await a.createUser({ email: 'bob@example.com', passwordHash: null });
    await a.setMembership(w1.id, ada.id, 'owner');
    await a.setMembership(w1.id, bob.id, 'viewer');
    await a.setMembership(w2.id, bob.id, 'editor');
    expect(await a.setMembership(w1.id, bob.id, 'operator')).toMatchObject({ workspaceId: w1.id, userId: bob.id, role: 'operator' });
    expect((await a.getMembership(w1.id, bob.id))?.role).toBe('operator');
    expect(await a.getMembership(w2.id, ada.id)).toBeNull();
    const members = await a.listMembers(w1.id);
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual([['ada@example.com', 'owner'], ['bob@example.com', 'operator']]);
    expect((await a.listUserWorkspaces(bob.id)).map((x) => [x.workspace.name, x.role]).sort()).toEqual([['One', 'operator'], ['Two', 'editor']]);
    expect(await a.removeMembership(w1.id, bob.id)).toBe(true);
    expect(await a.removeMembership(w1.id, bob.id)).toBe(false);
    expect((await a.listMembers(w1.id)).map((m) => m.email)).toEqual(['ada@example.com']);
    expect((await a.listUserWorkspaces(bob.id)).map((x) => x.workspace.id)).toEqual([w2.id]);
  });

  it('sessions: random token, only the hash stored, idle and absolute expiry, revoke one and all', async () => {
    const a = c.store.accounts;
    const ada = await a.createUser({ email: 'ada@example.com', passwordHash: null });
    const s1 = await a.createSession(ada.id, { idleMs: HOUR, absoluteMs: 2 * HOUR });
    const s2 = await a.createSession(ada.id, { idleMs: HOUR, absoluteMs: 2 * HOUR });
    expect(s1.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s1.token).not.toBe(s2.token);
    expect(await a.touchSession(s1.token, HOUR)).toMatchObject({ userId: ada.id });
    expect(await a.touchSession(s1.token + 'x', HOUR)).toBeNull();
    expect(await a.revokeSession(s1.token)).toBe(true);
    expect(await a.touchSession(s1.token, HOUR)).toBeNull();
    await a.createSession(ada.id, { idleMs: HOUR, absoluteMs: HOUR });
    expect(await a.revokeUserSessions(ada.id)).toBe(2);
    expect(await a.touchSession(s2.token, HOUR)).toBeNull();

    const idle = await a.createSession(ada.id, { idleMs: 5, absoluteMs: HOUR });
    const absolute = await a.createSession(ada.id, { idleMs: HOUR, absoluteMs: 5 });
    await sleep(20);
    expect(await a.touchSession(idle.token, HOUR)).toBeNull();
    expect(await a.touchSession(absolute.token, HOUR)).toBeNull();
    if (c.fixture.rawBytes) expect((await c.fixture.rawBytes()).includes(Buffer.from(s2.token))).toBe(false);
  });

  it('invitation and reset tokens are single use, of one kind, and expire', async () => {
    const a = c.store.accounts;
    const ws = await c.store.workspaces.createWorkspace({ name: 'One' });
    const inv = await a.createAccountToken({ kind: 'invitation', email: 'Bob@example.com', workspaceId: ws.id, role: 'viewer', createdBy: 'u1', ttlMs: HOUR });
    expect(inv.record).toMatchObject({ kind: 'invitation', email: 'bob@example.com', workspaceId: ws.id, role: 'viewer', usedAt: null });
    expect((await a.listInvitations(ws.id)).map((t) => t.id)).toEqual([inv.record.id]);
    expect(await a.consumeAccountToken('password_reset', inv.token)).toBeNull();
    const results = await Promise.all([a.consumeAccountToken('invitation', inv.token), a.consumeAccountToken('invitation', inv.token)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await a.consumeAccountToken('invitation', inv.token)).toBeNull();
    expect(await a.listInvitations(ws.id)).toEqual([]);
    const reset = await a.createAccountToken({ kind: 'password_reset', email: 'bob@example.com', ttlMs: 5 });
    await sleep(20);
    expect(await a.consumeAccountToken('password_reset', reset.token)).toBeNull();
    if (c.fixture.rawBytes) expect((await c.fixture.rawBytes()).includes(Buffer.from(inv.token))).toBe(false);
  });

  it('audit entries are appended per workspace, listed newest first, filtered and paged', async () => {
    const a = c.store.accounts;
    const w1 = await c.store.workspaces.createWorkspace({ name: 'One' });
    const w2 = await c.store.workspaces.createWorkspace({ name: 'Two' });
    const e1 = await a.appendAudit({ workspaceId: w1.id, actor: { type: 'user', id: 'u1', label: 'ada@example.com' }, action: 'workflow.created', target: { type: 'workflow', id: 'wf1' }, afterVersion: 1, ip: '127.0.0.1' });
    await a.appendAudit({ workspaceId: w1.id, actor: { type: 'api_key', id: 'k1', label: 'ci' }, action: 'workflow.updated', target: { type: 'workflow', id: 'wf1' }, beforeVersion: 1, afterVersion: 2 });
    await a.appendAudit({ workspaceId: w1.id, actor: { type: 'user', id: 'u1', label: 'ada@example.com' }, action: 'member.invited', details: { role: 'viewer' } });
    await a.appendAudit({ workspaceId: w2.id, actor: { type: 'user', id: 'u2' }, action: 'workflow.created' });
    expect(e1).toMatchObject({ workspaceId: w1.id, action: 'workflow.created', afterVersion: 1, ip: '127.0.0.1' });
    const all = await a.listAudit(w1.id);
    expect(all.items.map((e) => e.action)).toEqual(['member.invited', 'workflow.updated', 'workflow.created']);
    expect(all.items[2]).toEqual(e1);
    expect((await a.listAudit(w1.id, { actor: 'u1' })).items).toHaveLength(2);
    expect((await a.listAudit(w1.id, { actor: 'ADA@example.com' })).items).toHaveLength(2);
    expect((await a.listAudit(w1.id, { action: 'workflow.updated' })).items.map((e) => e.beforeVersion)).toEqual([1]);
    expect((await a.listAudit(w1.id, { from: '2999-01-01T00:00:00Z' })).items).toEqual([]);
    expect((await a.listAudit(w1.id, { to: '2000-01-01T00:00:00Z' })).items).toEqual([]);
    const first = await a.listAudit(w1.id, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await a.listAudit(w1.id, { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [e1], nextCursor: null });
    expect((await a.listAudit(w2.id)).items).toHaveLength(1);
  });

  it('sign-in failure counters: atomic per key, shared reads, cleared on success, forgotten after their time', async () => {
    const a = c.store.accounts;
    const t0 = Date.UTC(2026, 0, 1);
    expect(await a.readSignInFailures([], t0)).toEqual([]);
    // concurrent failures (as from several gateway processes) all count
    await Promise.all(Array.from({ length: 5 }, (_, i) => a.recordSignInFailure(['acct', 'ip'], t0 + i, t0 + HOUR)));
    await a.recordSignInFailure(['ip'], t0 + 10, t0 + HOUR);
    const read = (await a.readSignInFailures(['acct', 'ip', 'other'], t0 + 20)).sort((x, y) => x.key.localeCompare(y.key));
    expect(read).toEqual([
      { key: 'acct', failures: 5, lastFailureAt: t0 + 4 },
      { key: 'ip', failures: 6, lastFailureAt: t0 + 10 },
    ]);
    await a.clearSignInFailures('acct');
    expect((await a.readSignInFailures(['acct', 'ip'], t0 + 20)).map((f) => f.key)).toEqual(['ip']);
    // past its forget time a counter reads as nothing and starts again from one
    expect(await a.readSignInFailures(['ip'], t0 + HOUR)).toEqual([]);
    await a.recordSignInFailure(['ip'], t0 + HOUR + 1, t0 + 2 * HOUR);
    expect(await a.readSignInFailures(['ip'], t0 + HOUR + 2)).toEqual([{ key: 'ip', failures: 1, lastFailureAt: t0 + HOUR + 1 }]);
  });

  it('API keys carry a role (admin by default) and stop verifying after their expiry', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'One' });
    const plain = await c.store.workspaces.createApiKey(ws.id);
    expect(plain.info).toMatchObject({ role: 'admin', expiresAt: null });
    const viewer = await c.store.workspaces.createApiKey(ws.id, { name: 'read', role: 'viewer', expiresAt: new Date(Date.now() + HOUR).toISOString() });
    expect((await c.store.workspaces.verifyApiKey(viewer.apiKey))?.role).toBe('viewer');
    const expired = await c.store.workspaces.createApiKey(ws.id, { role: 'editor', expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(await c.store.workspaces.verifyApiKey(expired.apiKey)).toBeNull();
    expect((await c.store.workspaces.listApiKeys(ws.id)).map((k) => k.role).sort()).toEqual(['admin', 'editor', 'viewer']);
  });
}
