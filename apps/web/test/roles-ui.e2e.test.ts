/**
 * Issue 15, role-aware pages in the real browser: a viewer (signed in by session, no API key anywhere) sees the
 * workflow, its runs and the settings, but no New workflow / Publish / Activate / Archive / Run now / test run /
 * retry / cancel action, no editable canvas, and no credentials or API keys tab. The owner, signed in
 * automatically on the local origin (embedded mode), sees them all. Screenshot: docs/screenshots/roles-viewer-editor.png.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';

const ui = useBrowserStack({ viewport: { width: 1280, height: 800 } });

/** A tiny cookie jar over the gateway (Node side): the owner signs up, invites a viewer, the viewer accepts. */
async function call(cookies: Map<string, string>, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  if (cookies.has('outrun_csrf')) headers['x-csrf-token'] = decodeURIComponent(cookies.get('outrun_csrf')!);
  const res = await fetch(`${ui.stack.apiUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('role-aware pages', () => {
  it('a viewer is offered no write action; the local owner is offered them', async () => {
    const wf = await ui.stack.api.createWorkflow(ui.stack.workspaceId, { name: 'Viewer can look', triggers: [{ id: 'roles-manual', type: 'manual' }], nodes: [], edges: [] });
    const { runId } = await ui.stack.api.runWorkflow(ui.stack.workspaceId, wf.id, { payload: { n: 1 } });

    const owner = new Map<string, string>();
    expect((await call(owner, 'POST', '/api/auth/sign-up', { email: 'olive@example.com', password: 'correct horse battery staple' })).status).toBe(201);
    const invited = await call(owner, 'POST', `/api/workspaces/${ui.stack.workspaceId}/invitations`, { email: 'vic@example.com', role: 'viewer' });
    expect(invited.status).toBe(201);
    const link = new URL(String(invited.body.acceptUrl));
    const viewer = new Map<string, string>();
    expect((await call(viewer, 'POST', '/api/auth/invitations/accept', { token: link.searchParams.get('token'), email: 'vic@example.com', password: 'vic-password-1234' })).status).toBe(200);

    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([...viewer].map(([name, value]) => ({ name, value, url: ui.stack.webUrl })));
    const page = await context.newPage();
    const authHeaders: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/gateway/')) authHeaders.push(r.headers()['authorization'] ?? '');
    });

    await page.goto(`${ui.stack.webUrl}/workflows`);
    await page.getByText('Viewer can look').first().waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'New workflow' }).count()).toBe(0);

    await page.goto(`${ui.stack.webUrl}/workflows/${wf.id}`);
    await page.getByTestId('role-read-only').waitFor({ timeout: 20_000 });
    await page.getByText('Your role in this workspace can read this workflow, not change it.').waitFor();
    for (const name of ['Run now', 'Publish', 'Activate', 'Pause', 'Archive']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByLabel('Workflow name').getAttribute('readonly')).not.toBeNull();
    await page.screenshot({ path: join(SCREENSHOTS, 'roles-viewer-editor.png') });

    await page.goto(`${ui.stack.webUrl}/runs/${runId}`);
    await page.getByRole('link', { name: 'Open workflow' }).or(page.getByText(runId).first()).first().waitFor({ timeout: 20_000 });
    for (const name of ['Cancel run', 'Retry run', 'Retry from failed step']) expect(await page.getByRole('button', { name }).count(), name).toBe(0);

    await page.goto(`${ui.stack.webUrl}/settings`);
    await page.getByRole('tab', { name: 'Connection' }).waitFor({ timeout: 20_000 });
    await page.getByText('vic@example.com').first().waitFor();
    expect(await page.getByRole('tab', { name: 'Credentials' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'API keys' }).count()).toBe(0);
    await page.goto(`${ui.stack.webUrl}/settings?tab=credentials`);
    await page.getByRole('tab', { name: 'Connection' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Credentials' }).count()).toBe(0);
    expect(authHeaders.length).toBeGreaterThan(0);
    expect(authHeaders.every((a) => a === '')).toBe(true);
    await context.close();

    // The owner (the local origin's auto sign-in picks the person who owns the local workspace) is offered everything.
    const ownerContext = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ownerPage = await ownerContext.newPage();
    await ownerPage.goto(`${ui.stack.webUrl}/workflows/${wf.id}`);
    await ownerPage.getByRole('button', { name: 'Run now', exact: true }).waitFor({ timeout: 20_000 });
    await ownerPage.getByRole('button', { name: 'Activate', exact: true }).waitFor();
    expect(await ownerPage.getByTestId('role-read-only').count()).toBe(0);
    await ownerContext.close();
  }, 120_000);
});
