/**
 * Tenancy and authentication, generated from what Express actually registered (not from a hand-kept list), so a
 * new route cannot be forgotten: every registered route must be classified (workspace, admin, public, or the
 * webhook proxy), and the test fails on one it cannot classify.
 *
 * For every workspace route: another workspace's key → 404 (the route answers as if the workspace were absent);
 * no key, a malformed key, an unknown key, a revoked key or the admin token → 401. For admin routes: no key or a
 * workspace key → 401 (likewise for `account` routes: they need a session). Public routes must be on an explicit list (adding one is a reviewed decision).
 */
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';
import type { ApiServer } from './server';

/** Routes anyone may call without credentials (method + Express path). */
const PUBLIC_ROUTES = new Set([
  'get /healthz', 'get /readyz', 'get /metrics', 'get /api/health', 'get /api/templates', 'get /api/templates/:templateId', 'get /api/nodes', 'get /api/openapi.json', 'get /api/connectors',
  // A signed approval link is its own credential (HMAC, expiry, single use): docs/composition.md.
  'get /api/approvals/:token', 'post /api/approvals/:token',
  // signing in and up (issue 15): these create sessions, so they cannot require one
  'get /api/auth/status', 'post /api/auth/sign-up', 'post /api/auth/sign-in', 'post /api/auth/password-reset', 'post /api/auth/password-reset/confirm', 'post /api/auth/invitations/accept',
  'get /api/auth/oidc/start', 'get /api/auth/oidc/callback',
  // embedded auto sign-in: 404 unless the embedded local key is presented (docs/accounts.md)
  'post /api/auth/local-session',
  // the editor's one-shot test URL: its unguessable token (single use, 10 min) is the credential (docs/editor.md)
  'post /api/test-events/:token',
]);
/** Registered outside the route table on purpose: each webhook trigger carries its own auth (listener tests). */
const WEBHOOK_PROXY = '/webhook/*rest';

interface RegisteredRoute { method: string; path: string }
interface Layer { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }

/** Every (method, path) Express will dispatch, walking nested routers. */
function registeredRoutes(app: ApiServer): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) out.push({ method, path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: Router & { stack: Layer[] } }).router.stack);
  return out;
}

type Kind = 'workspace' | 'admin' | 'account' | 'public' | 'webhook';

/** Classifies a registered route, or returns why it cannot. */
function classify(app: ApiServer, r: RegisteredRoute): Kind | string {
  if (r.path === WEBHOOK_PROXY) return 'webhook';
  const declared = app.routes.find((t) => t.method === r.method && t.path === r.path);
  if (!declared) return `${r.method} ${r.path}: registered outside the route table`;
  const underWorkspace = r.path.startsWith('/api/workspaces/:ws');
  if (declared.auth === 'workspace') return underWorkspace ? 'workspace' : `${r.method} ${r.path}: workspace auth without :ws`;
  if (underWorkspace) return `${r.method} ${r.path}: under /api/workspaces/:ws but auth is ${declared.auth}`;
  if (declared.auth === 'admin') return 'admin';
  if (declared.auth === 'account') return r.path.startsWith('/api/auth/') ? 'account' : `${r.method} ${r.path}: account auth outside /api/auth`;
  if (declared.auth === 'public') return PUBLIC_ROUTES.has(`${r.method} ${r.path}`) ? 'public' : `${r.method} ${r.path}: public but not on the reviewed list`;
  return `${r.method} ${r.path}: unknown auth mode ${String(declared.auth)}`;
}

const errorCode = async (res: Response) => ((await res.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code;

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

describe('auth and tenancy generated from the registered routes', () => {
  it('classifies every registered route (a new unclassifiable route fails here)', () => {
    const routes = registeredRoutes(h.app);
    expect(routes.length).toBeGreaterThanOrEqual(h.app.routes.length);
    const unclassified = routes.map((r) => classify(h.app, r)).filter((k) => !['workspace', 'admin', 'account', 'public', 'webhook'].includes(k));
    expect(unclassified).toEqual([]);
    // and the table holds nothing Express did not register
    const registered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect(h.app.routes.filter((t) => !registered.has(`${t.method} ${t.path}`)).map((t) => `${t.method} ${t.path}`)).toEqual([]);
  });

  it('workspace routes: a foreign key → 404; no, malformed, unknown, revoked key or the admin token → 401', async () => {
    const b = await h.newWorkspace('victim');
    const wf = await b.api.createWorkflow(b.ws, { ...simpleWorkflow('b-flow', 'b-manual'), triggers: [{ id: 'b-manual', type: 'manual' }, { id: 'b-hook', type: 'webhook', config: { auth: { type: 'hmac' } } }] });
    const { runId } = await b.api.runWorkflow(b.ws, wf.id);
    const docId = (await b.api.insertDocument(b.ws, 'things', { v: 1 })).id;
    const credentialId = (await b.api.createCredential(b.ws, { name: 'b-cred', type: 'generic', data: { k: 'v' } })).id;
    const keyId = (await b.api.createApiKey(b.ws, { name: 'b-key' })).id;
    const revoked = await b.api.createApiKey(b.ws, { name: 'revoked' });
    await b.api.revokeApiKey(b.ws, revoked.id);
    const values: Record<string, string> = { ws: b.ws, id: wf.id, runId, collection: 'things', docId, credentialId, keyId, triggerId: 'b-hook', v: '1', templateId: 'stripe-payments', model: 'gpt-5.4-mini', stepId: 'ask', userId: 'some-user', token: 'editor-test-token-000000' };

    const routes = registeredRoutes(h.app).filter((r) => classify(h.app, r) === 'workspace');
    expect(routes.length).toBeGreaterThanOrEqual(39);
    const keys: Array<[string, string | null, number]> = [
      ['foreign key', h.apiKey, 404],
      ['no key', null, 401],
      ['malformed key', 'not a key', 401],
      ['unknown key', `out_${'0'.repeat(40)}`, 401],
      ['revoked key', revoked.apiKey, 401],
      ['admin token', ADMIN_TOKEN, 401],
    ];
    const failures: string[] = [];
    for (const route of routes) {
      const unknownParams = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!).filter((name) => !(name in values));
      if (unknownParams.length > 0) failures.push(`${route.method} ${route.path}: no fixture value for :${unknownParams.join(', :')}`);
      const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
      for (const [label, key, expected] of keys) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (key !== null) headers.authorization = key === 'not a key' ? 'Basic Zm9vOmJhcg==' : `Bearer ${key}`;
        const res = await fetch(`${h.baseUrl}${path}`, { method: route.method.toUpperCase(), headers, body: route.method === 'get' || route.method === 'delete' ? null : JSON.stringify({ name: 'pwned', payload: {}, data: {} }) });
        const code = await errorCode(res);
        const want = expected === 404 ? 'OUT_ERR_NOT_FOUND' : 'OUT_ERR_UNAUTHENTICATED';
        if (res.status !== expected || code !== want) failures.push(`${route.method} ${route.path} with ${label} → ${res.status} ${code}`);
      }
    }
    expect(failures).toEqual([]);
    // B is untouched: still one workflow, draft; its run still there; its data unchanged.
    expect((await b.api.listWorkflows(b.ws)).items.map((w) => w.status)).toEqual(['draft']);
    expect((await b.api.getRun(b.ws, runId)).id).toBe(runId);
    expect((await b.api.getDocument(b.ws, 'things', docId)).data).toEqual({ v: 1 });
  });

  it('admin routes: no key or a workspace key → 401; public routes answer without credentials', async () => {
    const failures: string[] = [];
    for (const route of registeredRoutes(h.app)) {
      const kind = classify(h.app, route);
      const url = `${h.baseUrl}${route.path.replace(':templateId', 'stripe-payments')}`;
      const init = { method: route.method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: route.method === 'get' ? null : '{"name":"x"}' };
      if (kind === 'admin' || kind === 'account') {
        for (const [label, key] of [['no key', null], ['workspace key', h.apiKey]] as const) {
          const res = await fetch(url, { ...init, headers: { ...init.headers, ...(key ? { authorization: `Bearer ${key}` } : {}) } });
          if (res.status !== 401 || (await errorCode(res)) !== 'OUT_ERR_UNAUTHENTICATED') failures.push(`${route.method} ${route.path} with ${label} → ${res.status}`);
        }
      }
      if (kind === 'public') {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        if (res.status === 401 || res.status >= 500) failures.push(`${route.method} ${route.path} without a key → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
