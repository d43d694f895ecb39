/**
 * The permission matrix, generated from the route table: for EVERY workspace route × every role (as a session
 * and as an API key of that role), the answer is 403 exactly when the role lacks the route's declared permission;
 * no session, an expired session, a revoked key → 401; a member of another workspace → 404. Account routes need
 * a session. The role table itself is checked against the roles as the issue words them (written out by hand).
 */
import type { Role } from '@outrun/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';
import { csrfTokenOf } from './http/authenticate';
import { isWorkspacePermission, ROLE_PERMISSIONS, type WorkspacePermission } from './http/permissions';

const ROLES: Role[] = ['owner', 'admin', 'editor', 'operator', 'viewer'];
const HOUR = 3_600_000;

/** The words, as sets: owner everything; admin members, credentials, keys; editor workflows/triggers/runs; viewer reads. */
const EXPECTED: Record<Role, WorkspacePermission[]> = {
  viewer: ['workspace:read', 'workflow:read', 'run:read', 'data:read', 'member:read'],
  operator: ['workspace:read', 'workflow:read', 'run:read', 'data:read', 'member:read', 'run:operate'],
  editor: ['workspace:read', 'workflow:read', 'run:read', 'data:read', 'member:read', 'run:operate', 'workflow:write', 'data:write', 'credential:read'],
  admin: ['workspace:read', 'workflow:read', 'run:read', 'data:read', 'member:read', 'run:operate', 'workflow:write', 'data:write', 'credential:read', 'credential:manage', 'api_key:manage', 'member:manage', 'audit:read'],
  owner: ['workspace:read', 'workflow:read', 'run:read', 'data:read', 'member:read', 'run:operate', 'workflow:write', 'data:write', 'credential:read', 'credential:manage', 'api_key:manage', 'member:manage', 'audit:read'],
};

type Caller = { label: string; headers: Record<string, string>; expect: (permission: WorkspacePermission) => number | 'allowed' };

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

async function sessionHeaders(userId: string, options = { idleMs: HOUR, absoluteMs: HOUR }): Promise<Record<string, string>> {
  const { token } = await h.temp.store.accounts.createSession(userId, options);
  const csrf = csrfTokenOf(token);
  return { cookie: `outrun_session=${token}; outrun_csrf=${csrf}`, 'x-csrf-token': csrf };
}

describe('permission matrix from the route table', () => {
  it('the role table grants what the issue says each role may do', () => {
    for (const role of ROLES) expect([...ROLE_PERMISSIONS[role]].sort()).toEqual([...EXPECTED[role]].sort());
  });

  it('every route declares a permission matching its auth mode', () => {
    for (const route of h.app.routes) {
      expect(route.permission, `${route.method} ${route.path}`).toBeDefined();
      if (route.auth === 'workspace') expect(isWorkspacePermission(route.permission), `${route.method} ${route.path}`).toBe(true);
      if (route.auth === 'public') expect(route.permission).toBe('public');
      if (route.auth === 'admin') expect(route.permission).toBe('instance:admin');
      if (route.auth === 'account') expect(route.permission).toBe('account');
    }
  });

  it('every workspace route × role (session and key), no session, expired session, revoked key, other workspace member', async () => {
    const accounts = h.temp.store.accounts;
    const ws = h.ws;
    const other = await h.newWorkspace('other');
    const wf = await h.api.createWorkflow(ws, { ...simpleWorkflow('flow', 'manual-a'), triggers: [{ id: 'manual-a', type: 'manual' }, { id: 'hook-a', type: 'webhook', config: { auth: { type: 'hmac' } } }] });
    const { runId } = await h.api.runWorkflow(ws, wf.id);
    const docId = (await h.api.insertDocument(ws, 'things', { v: 1 })).id;
    const credentialId = (await h.api.createCredential(ws, { name: 'cred', type: 'generic', data: { k: 'v' } })).id;
    const values: Record<string, string> = { ws, id: wf.id, runId, collection: 'things', docId, credentialId, keyId: 'no-such-key', triggerId: 'hook-a', v: '1', templateId: 'stripe-payments', userId: 'no-such-user' };

    const callers: Caller[] = [];
    for (const role of ROLES) {
      const user = await accounts.createUser({ email: `${role}@example.com`, passwordHash: null });
      await accounts.setMembership(ws, user.id, role);
      const allowed = (p: WorkspacePermission) => (EXPECTED[role].includes(p) ? 'allowed' : 403);
      callers.push({ label: `${role} session`, headers: await sessionHeaders(user.id), expect: allowed });
      const key = await h.temp.store.workspaces.createApiKey(ws, { name: role, role });
      callers.push({ label: `${role} key`, headers: { authorization: `Bearer ${key.apiKey}` }, expect: allowed });
    }
    const outsider = await accounts.createUser({ email: 'outsider@example.com', passwordHash: null });
    await accounts.setMembership(other.ws, outsider.id, 'owner');
    callers.push({ label: "another workspace's owner", headers: await sessionHeaders(outsider.id), expect: () => 404 });
    callers.push({ label: 'no session', headers: {}, expect: () => 401 });
    const owner = await accounts.createUser({ email: 'expired@example.com', passwordHash: null });
    await accounts.setMembership(ws, owner.id, 'owner');
    const expired = await sessionHeaders(owner.id, { idleMs: 1, absoluteMs: HOUR });
    callers.push({ label: 'expired session', headers: expired, expect: () => 401 });
    const revoked = await h.temp.store.workspaces.createApiKey(ws, { role: 'owner' });
    await h.temp.store.workspaces.revokeApiKey(ws, revoked.info.id);
    callers.push({ label: 'revoked key', headers: { authorization: `Bearer ${revoked.apiKey}` }, expect: () => 401 });
    const expiredKey = await h.temp.store.workspaces.createApiKey(ws, { role: 'owner', expiresAt: new Date(Date.now() - 1000).toISOString() });
    callers.push({ label: 'expired key', headers: { authorization: `Bearer ${expiredKey.apiKey}` }, expect: () => 401 });
    await new Promise((r) => setTimeout(r, 10));

    const routes = h.app.routes.filter((r) => r.auth === 'workspace');
    expect(routes.length).toBeGreaterThanOrEqual(45);
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
      for (const caller of callers) {
        const abort = new AbortController();
        const res = await fetch(`${h.baseUrl}${path}`, {
          method: route.method.toUpperCase(),
          headers: { 'content-type': 'application/json', ...caller.headers },
          // an empty object: allowed callers get past auth and fail validation (400) or act on nothing (404)
          body: route.method === 'get' || route.method === 'delete' ? null : '{}',
          signal: abort.signal,
        });
        abort.abort(); // SSE routes never end by themselves
        const want = caller.expect(route.permission as WorkspacePermission);
        const ok = want === 'allowed' ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === want;
        if (!ok) failures.push(`${route.method} ${route.path} (${route.permission}) as ${caller.label} → ${res.status}, want ${want}`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(routes.length * callers.length);
  });

  it('account routes need a session; keys and the anonymous get 401', async () => {
    const user = await h.temp.store.accounts.createUser({ email: 'me@example.com', passwordHash: null });
    await h.temp.store.accounts.setMembership(h.ws, user.id, 'viewer');
    const me = await fetch(`${h.baseUrl}/api/auth/me`, { headers: await sessionHeaders(user.id) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { workspaces: Array<{ role: string }> }).workspaces.map((w) => w.role)).toEqual(['viewer']);
    for (const route of h.app.routes.filter((r) => r.auth === 'account')) {
      for (const headers of [{}, { authorization: `Bearer ${h.apiKey}` }]) {
        const res = await fetch(`${h.baseUrl}${route.path}`, { method: route.method.toUpperCase(), headers });
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
      }
    }
  });

  it('a cookie request that changes state needs the CSRF header; reads and Bearer keys do not', async () => {
    const user = await h.temp.store.accounts.createUser({ email: 'csrf@example.com', passwordHash: null });
    await h.temp.store.accounts.setMembership(h.ws, user.id, 'editor');
    const headers = await sessionHeaders(user.id);
    const body = JSON.stringify(simpleWorkflow('csrf', 'manual-csrf'));
    const noHeader = await fetch(`${h.baseUrl}/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: headers.cookie! }, body });
    expect(noHeader.status).toBe(403);
    expect(((await noHeader.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_CSRF');
    const wrong = await fetch(`${h.baseUrl}/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'x-csrf-token': 'forged' }, body });
    expect(wrong.status).toBe(403);
    expect((await fetch(`${h.baseUrl}/api/workspaces/${h.ws}/workflows`, { headers: { cookie: headers.cookie! } })).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body })).status).toBe(201);
    const viewerKey = await h.temp.store.workspaces.createApiKey(h.ws, { role: 'viewer' });
    const write = await fetch(`${h.baseUrl}/api/workspaces/${h.ws}/workflows`, { method: 'POST', headers: { authorization: `Bearer ${viewerKey.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(simpleWorkflow('v', 'manual-v')) });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { code: string; details: Array<{ message: string }> } }).error).toMatchObject({ code: 'OUT_ERR_FORBIDDEN', details: [{ message: 'workflow:write' }] });
  });
});
