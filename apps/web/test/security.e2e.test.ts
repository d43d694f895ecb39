/**
 * Issue 19 findings 1 and 8 against the real production build (`next start`) and Debian's chromium:
 * - DNS rebinding: a request naming a foreign Host (or Origin) gets nothing — not the page, not /config.json, not
 *   the /gateway proxy; the local API key is never sent to the browser nor attached by the proxy: pages use a
 *   session, and embedded mode signs the local owner in only on the local origin (issue 15).
 * - Clickjacking and script injection: a strict nonce CSP, frame-ancestors 'none', X-Frame-Options DENY; the app
 *   runs with no CSP violation, and a page of another origin cannot frame it.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useBrowserStack } from './browser-stack';

const ui = useBrowserStack({ viewport: { width: 1280, height: 800 } });

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with any Host/Origin/headers (fetch does not let a caller choose Host). */
function raw(path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<RawAnswer> {
  const url = new URL(path, ui.stack.webUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const port = () => new URL(ui.stack.webUrl).port;
const workflowsPath = () => `/gateway/api/workspaces/${ui.stack.workspaceId}/workflows`;

describe('DNS rebinding: only local Host and Origin names, and no key in the browser', () => {
  it('refuses every path when Host names another site (rebound to 127.0.0.1)', async () => {
    for (const path of ['/', '/config.json', workflowsPath(), '/settings']) {
      const answer = await raw(path, { host: `attacker.example:${port()}`, 'x-outrun-client': 'web' });
      expect(answer.status, path).toBe(403);
      expect(answer.body, path).toContain('OUT_ERR_HOST_NOT_ALLOWED');
      expect(answer.body, path).not.toContain(ui.stack.apiKey);
    }
  });

  it('refuses a foreign Origin on the local Host', async () => {
    const answer = await raw(workflowsPath(), { host: `127.0.0.1:${port()}`, origin: 'http://attacker.example', 'x-outrun-client': 'web', 'content-type': 'application/json' }, 'POST', '{}');
    expect(answer.status).toBe(403);
  });

  it('never hands the local key to the page nor attaches it; signs the local owner in on the local origin only', async () => {
    const config = await raw('/config.json', { host: `localhost:${port()}` });
    expect(config.status).toBe(200);
    expect(config.body).not.toContain(ui.stack.apiKey);
    expect(JSON.parse(config.body)).toMatchObject({ apiKey: null, localSignIn: true, workspaceId: ui.stack.workspaceId });
    const host = `127.0.0.1:${port()}`;
    const web = { host, 'x-outrun-client': 'web', 'sec-fetch-site': 'same-origin' };
    // Without a session even the web client's own same-origin call is refused: the proxy lends no key (issue 15).
    expect((await raw(workflowsPath(), web)).status).toBe(401);
    // Auto sign-in: a rebound Host or a foreign Origin gets nothing, nor a cross-site or header-less request.
    const rebound = await raw('/local-sign-in', { ...web, host: `attacker.example:${port()}` }, 'POST');
    expect(rebound.status).toBe(403);
    expect(rebound.headers['set-cookie']).toBeUndefined();
    expect((await raw('/local-sign-in', { ...web, origin: 'http://attacker.example' }, 'POST')).status).toBe(403);
    expect((await raw('/local-sign-in', { ...web, 'sec-fetch-site': 'cross-site' }, 'POST')).status).toBe(404);
    expect((await raw('/local-sign-in', { host }, 'POST')).status).toBe(404);
    // The gateway's route answers only to the embedded local key.
    expect((await fetch(`${ui.stack.apiUrl}/api/auth/local-session`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${ui.stack.apiUrl}/api/auth/local-session`, { method: 'POST', headers: { authorization: 'Bearer out_not-the-local-key' } })).status).toBe(404);

    const signedIn = await raw('/local-sign-in', { ...web, origin: `http://${host}` }, 'POST');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).not.toContain(ui.stack.apiKey);
    const me = JSON.parse(signedIn.body) as { user: { instanceOwner: boolean }; workspaces: Array<{ workspace: { id: string }; role: string }> };
    expect(me.user.instanceOwner).toBe(true);
    expect(me.workspaces).toEqual([expect.objectContaining({ workspace: expect.objectContaining({ id: ui.stack.workspaceId }), role: 'owner' })]);
    const setCookies = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []);
    expect(setCookies.find((c) => c.startsWith('outrun_session='))).toMatch(/HttpOnly/i);
    const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
    const csrfToken = /outrun_csrf=([^;]*)/.exec(cookie)?.[1] ?? '';
    expect((await raw(workflowsPath(), { ...web, cookie })).status).toBe(200);
    // A write with the cookie needs the CSRF token.
    const workflow = JSON.stringify({ name: 'by session', triggers: [], nodes: [], edges: [] });
    expect((await raw(workflowsPath(), { ...web, cookie, 'content-type': 'application/json' }, 'POST', workflow)).status).toBe(403);
    expect((await raw(workflowsPath(), { ...web, cookie, 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrfToken) }, 'POST', workflow)).status).toBe(201);
    // The proxy forwards the API only: not the gateway's loopback-trusting /metrics.
    expect((await raw('/gateway/metrics', { host, 'x-outrun-client': 'web' })).status).toBe(404);
  });
});

describe('CSP and frame protection', () => {
  it('sends a nonce CSP with frame-ancestors none and the usual headers; every script carries the nonce', async () => {
    const page = await raw('/workflows', { host: `localhost:${port()}` });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const scripts = [...page.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = String((await raw('/workflows', { host: `localhost:${port()}` })).headers['content-security-policy']);
    expect(again).not.toContain(nonce); // fresh per request
  });

  it('runs in chromium with no CSP violation or page error, through the server-authenticated gateway', async () => {
    await ui.stack.api.createWorkflow(ui.stack.workspaceId, { name: 'CSP check', triggers: [{ id: 'csp-manual', type: 'manual' }], nodes: [], edges: [] });
    const context = await ui.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      // A failed load is reported with its URL below (the browser's own favicon probe answers 404: there is none).
      if (m.text().startsWith('Failed to load resource')) return;
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/gateway/')) requests.push(r.headers()['authorization'] ?? '');
    });
    await page.goto(`${ui.stack.webUrl}/workflows`);
    await page.getByText('CSP check').first().waitFor({ timeout: 20_000 });
    await page.goto(`${ui.stack.webUrl}/dashboard`);
    // The charts are a lazily loaded chunk: it must load under 'strict-dynamic' too.
    await expect.poll(() => page.locator('.recharts-surface').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((auth) => !auth.includes(ui.stack.apiKey))).toBe(true);
    await context.close();
  }, 60_000);

  it('creates a credential bound to the hosts named in the form (required for HTTP types)', async () => {
    const context = await ui.browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${ui.stack.webUrl}/settings?tab=credentials`);
      const form = page.getByRole('region', { name: 'Credentials' });
      await form.getByLabel('Name').fill('crm');
      await form.getByLabel('Type').selectOption('http_bearer');
      await form.getByLabel('Data (JSON)').fill('{ "token": "crm-token" }');
      await form.getByRole('button', { name: 'Create credential' }).click();
      await form.getByText('Name at least one allowed host').waitFor();
      await form.getByLabel('Allowed hosts').fill('https://api.crm.example, *.crm.example');
      await form.getByRole('button', { name: 'Create credential' }).click();
      await form.getByRole('cell', { name: 'https://api.crm.example, *.crm.example' }).waitFor();
      const stored = (await ui.stack.api.listCredentials(ui.stack.workspaceId)).items.find((c) => c.name === 'crm');
      expect(stored?.allowedHosts).toEqual(['https://api.crm.example', '*.crm.example']);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('rotates a signing secret with "revoke the previous secret now": only the new secret remains', async () => {
    const wf = await ui.stack.api.createWorkflow(ui.stack.workspaceId, {
      name: 'Revoke check',
      triggers: [{ id: `revoke-${Date.now()}`, type: 'webhook', config: { auth: { type: 'hmac' } } }],
      nodes: [],
      edges: [],
    });
    const triggerId = wf.triggers[0]!.id;
    await ui.stack.api.updateWorkflow(ui.stack.workspaceId, wf.id, { name: 'Revoke check', triggers: wf.triggers, nodes: [{ id: 't', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } }], edges: [] });
    const first = await ui.stack.api.rotateTriggerSecret(ui.stack.workspaceId, wf.id, triggerId);
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${ui.stack.webUrl}/workflows/${wf.id}`);
      await page.locator('.react-flow__node[data-id="t"] .wf-node-title').click();
      await page.getByLabel('Revoke the previous secret now').check();
      await page.getByRole('button', { name: 'Rotate secret' }).click();
      const shown = (await page.getByTestId('signing-secret').textContent())?.trim() ?? '';
      expect(shown).toMatch(/^whsec_/);
      expect(await ui.stack.temp.store.credentials.getSecret(ui.stack.workspaceId, first.credentialId)).toEqual({ secrets: [shown] });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('cannot be framed by a page of another origin', async () => {
    const framer: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe id="victim" src="${ui.stack.webUrl}/settings" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    const context = await ui.browser.newContext();
    try {
      const page = await context.newPage();
      // `localhost` is another origin than the web app's 127.0.0.1.
      await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
      await page.waitForTimeout(1500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const framedText = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
      expect(framedText).not.toContain('Credentials');
      expect(framedText).not.toContain('API keys');
    } finally {
      await context.close();
      await new Promise((resolve) => framer.close(resolve));
    }
  }, 30_000);
});
