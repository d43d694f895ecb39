import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { LOOPBACK_HOSTS } from '@outrun/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi({ webOrigin: 'http://localhost:3000' });
});
afterAll(async () => {
  await h.close();
});

describe('tenancy: a key of workspace A on any route of workspace B → 404', () => {
  it('sweeps every workspace route and leaves B untouched', async () => {
    const b = await h.newWorkspace('victim');
    const wf = await b.api.createWorkflow(b.ws, { ...simpleWorkflow('b-flow', 'b-manual'), triggers: [{ id: 'b-manual', type: 'manual' }, { id: 'b-hook', type: 'webhook', config: { auth: { type: 'hmac' } } }] });
    const { runId } = await b.api.runWorkflow(b.ws, wf.id);
    const docId = (await b.api.insertDocument(b.ws, 'things', { secret: 'b-data' })).id;
    const credId = (await b.api.createCredential(b.ws, { name: 'b-cred', type: 'generic', data: { k: 'v' } })).id;
    const keyId = (await b.api.createApiKey(b.ws, { name: 'b-key' })).id;
    const values: Record<string, string> = {
      ws: b.ws, id: wf.id, runId, collection: 'things', docId, credentialId: credId, keyId, triggerId: 'b-hook', v: '1', templateId: 'stripe-payments',
    };
    const routes = h.app.routes.filter((r) => r.auth === 'workspace');
    expect(routes.length).toBeGreaterThanOrEqual(37);
    const failures: string[] = [];
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
      const init: RequestInit = { method: route.method.toUpperCase() };
      if (route.body) {
        init.body = JSON.stringify({ name: 'pwned', payload: {}, data: {} });
        init.headers = { 'content-type': 'application/json' };
      }
      const res = await h.fetch(path, init); // the harness key belongs to workspace A
      const body = (await res.text()).slice(0, 200);
      if (res.status !== 404 || !body.includes('OUT_ERR_NOT_FOUND')) failures.push(`${route.method} ${route.path} → ${res.status} ${body}`);
    }
    expect(failures).toEqual([]);
    // nothing of B changed
    expect((await b.api.getWorkflow(b.ws, wf.id)).status).toBe('draft');
    expect((await b.api.getRun(b.ws, runId)).status).toBe('queued');
    expect((await b.api.getDocument(b.ws, 'things', docId)).data).toEqual({ secret: 'b-data' });
    expect((await b.api.listCredentials(b.ws)).items.map((c) => c.id)).toContain(credId);
    expect((await b.api.listApiKeys(b.ws)).items.map((k) => k.id)).toContain(keyId);
    expect((await b.api.listWorkflows(b.ws)).items).toHaveLength(1);
  });
});

describe('headers', () => {
  it('sets security headers and a request id on every answer, honouring a well-formed incoming one', async () => {
    const res = await h.fetch('/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    const generated = await h.fetch('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows CORS for the web origin only', async () => {
    const preflight = await h.fetch(`/api/workspaces/${h.ws}/workflows`, {
      method: 'OPTIONS', apiKey: null,
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const foreign = await h.fetch(`/api/workspaces/${h.ws}/workflows`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves health, readiness and metrics', async () => {
    expect(await (await h.fetch('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await h.fetch('/readyz')).json()).toMatchObject({ status: 'ok', checks: { store: { status: 'ok' }, queue: { status: 'ok' } } });
    const metrics = await (await h.fetch('/metrics')).text();
    expect(metrics).toContain('http_request_duration_seconds');
    expect(await h.api.health()).toMatchObject({ status: 'ok' });
  });
});

describe('no secret is ever logged', () => {
  it('keeps canaries of credentials, API keys, rotated secrets and the admin token out of the logs', async () => {
    const canary = 'CANARY-7f3a9c-credential-secret';
    const wf = await h.api.createWorkflow(h.ws, { name: 'canary', triggers: [{ id: 'canary-hook', type: 'webhook', config: { auth: { type: 'hmac' } } }], nodes: [], edges: [] });
    await h.api.createCredential(h.ws, { name: 'canary', type: 'http_bearer', data: { token: canary }, allowedHosts: ['api.canary.example'] });
    const key = await h.api.createApiKey(h.ws, { name: 'canary-key' });
    const rotated = await h.api.rotateTriggerSecret(h.ws, wf.id, 'canary-hook');
    // use the new key, fail validation with the canary in the body, and send it in a query string
    await h.fetch(`/api/workspaces/${h.ws}/workflows`, { apiKey: key.apiKey });
    await h.fetch(`/api/workspaces/${h.ws}/credentials`, { method: 'POST', apiKey: key.apiKey, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', type: 'bogus', data: { token: canary } }) });
    await h.fetch(`/api/workspaces/${h.ws}/data/x?filter=${encodeURIComponent(JSON.stringify({ token: canary }))}`, { apiKey: key.apiKey });
    await h.fetch(`/api/workspaces/${h.ws}/workflows`, { apiKey: `${key.apiKey}-wrong` });
    await h.fetch('/api/workspaces', { method: 'POST', apiKey: ADMIN_TOKEN, headers: { 'content-type': 'application/json' }, body: '{"name":"logged?"}' });
    const logs = h.logs.join('');
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of [canary, key.apiKey, rotated.secret, ADMIN_TOKEN, h.apiKey]) expect(logs).not.toContain(secret);
    // and every request line carries its request id
    const lines = h.logs.flatMap((chunk) => chunk.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as { msg: string; reqId?: string });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.every((l) => typeof l.reqId === 'string')).toBe(true);
  });
});

describe('rate limiting per API key', () => {
  it('answers 429 with Retry-After once the bucket is empty, per key, refilled over time', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const limited = await startApi({ rateLimit: { rps: 1, burst: 3 }, clock: { now: () => now } });
    try {
      const path = `/api/workspaces/${limited.ws}/workflows`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.fetch(path)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const res = await limited.fetch(path);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_RATE_LIMITED');
      const other = await limited.api.createApiKey(limited.ws).catch((e: unknown) => e);
      expect(other).toMatchObject({ status: 429 });
      now += 1000;
      expect((await limited.fetch(path)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

/** A raw request with any Host/Origin (fetch does not let a caller choose Host). */
function rawGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('embedded mode: DNS-rebinding guard on the gateway', () => {
  let local: ApiHarness;
  beforeAll(async () => {
    local = await startApi({ allowedHosts: LOOPBACK_HOSTS, webOrigin: 'http://localhost:3000' });
  });
  afterAll(async () => {
    await local.close();
  });

  it('refuses a foreign Host or Origin (403 OUT_ERR_HOST_NOT_ALLOWED) even with the right key; local names pass', async () => {
    const auth = { authorization: `Bearer ${local.apiKey}` };
    const path = `/api/workspaces/${local.ws}/credentials`;
    const port = new URL(local.baseUrl).port;
    const rebound = await rawGet(local.baseUrl, path, { ...auth, host: `attacker.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('OUT_ERR_HOST_NOT_ALLOWED');
    const foreignOrigin = await rawGet(local.baseUrl, path, { ...auth, host: `127.0.0.1:${port}`, origin: 'http://attacker.example' });
    expect([foreignOrigin.status, foreignOrigin.body]).toEqual([403, expect.stringContaining('OUT_ERR_HOST_NOT_ALLOWED')]);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) expect((await rawGet(local.baseUrl, path, { ...auth, host })).status, host).toBe(200);
    expect((await rawGet(local.baseUrl, path, { ...auth, host: `localhost:${port}`, origin: 'http://localhost:3000' })).status).toBe(200);
    // Webhooks stay reachable under any name (tunnels); they carry no key.
    expect((await rawGet(local.baseUrl, `/webhook/${local.ws}/none`, { host: 'hooks.tunnel.example' })).status).not.toBe(403);
  });
});

describe('/metrics access', () => {
  it('answers loopback peers without a token; refuses other peers; with a token requires it', async () => {
    expect((await h.fetch('/metrics', { apiKey: null })).status).toBe(200);
    const external = Object.values(networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;
    if (external === undefined) console.warn('[api] no non-loopback IPv4 address: skipped the remote-peer /metrics check');
    else {
      const server = h.app.listen(0, '0.0.0.0');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        // X-Forwarded-For cannot make a remote peer look local.
        const remote = await fetch(`http://${external}:${(server.address() as AddressInfo).port}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
        expect(remote.status).toBe(403);
        expect(await remote.text()).toContain('OUT_ERR_METRICS_FORBIDDEN');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }
    const guarded = await startApi({ metricsToken: 'metrics-token-0123456789' });
    try {
      expect((await guarded.fetch('/metrics', { apiKey: null })).status).toBe(403);
      expect((await guarded.fetch('/metrics', { apiKey: null, headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
