/**
 * The connector catalog in a real browser: the in-repo connectors loaded by name, the palette groups them by
 * category with version and needed credential, search finds them, and a connector node gets the generated form with
 * a credential picker (generic credentials of the workspace). Screenshots: docs/screenshots/connectors-*.png.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorPackageNames, loadConnectors } from '@outrun/connector-kit';
import { launchChromium, SCREENSHOTS } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ connectors: await loadConnectors(connectorPackageNames('builtin')) });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('connector catalog in the editor', () => {
  it('lists connectors by category with version and credential, searches, and adds a node with a generated form', async () => {
    await stack.api.createCredential(stack.workspaceId, { name: 'Sales Slack bot', type: 'generic', data: { botToken: 'xoxb-e2e-token' } });
    const wf = await stack.api.createWorkflow(stack.workspaceId, { name: 'Connector catalog' });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    const catalog = page.getByRole('region', { name: 'Connectors' });
    await catalog.waitFor();
    for (const name of ['postgres', 'mysql', 'redis', 'rabbitmq', 'mqtt', 'nats', 'email', 'slack', 'github']) await catalog.locator(`[data-connector="${name}"]`).waitFor();
    expect(await catalog.locator('[data-connector="postgres"]').textContent()).toMatch(/PostgreSQL\s*v1\.0\.0.*needs a PostgreSQL connection/);
    await page.getByLabel('Search nodes').fill('database');
    await expect.poll(() => catalog.locator('[data-connector]').count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'connectors-catalog.png') });

    await page.getByLabel('Search nodes').fill('slack');
    await expect.poll(() => catalog.locator('[data-connector]').count()).toBe(1);
    await page.locator('[data-palette="slack.postMessage@1"]').click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(1);
    // The generated form: the action's fields and the credential picker offering the workspace's generic credential.
    await page.locator('[name="channel"]').fill('#sales');
    await page.locator('[name="text"]').fill('Hot lead: {{ trigger.row.email }}');
    const picker = page.locator('select[name="credentialId"]');
    await picker.selectOption({ label: 'Sales Slack bot (generic)' });
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'connectors-node-form.png') });
    const stored = (await stack.api.getDraft(stack.workspaceId, wf.id)).draft ?? (await stack.api.getWorkflow(stack.workspaceId, wf.id));
    expect(stored.nodes[0]).toMatchObject({ type: 'slack.postMessage@1', data: { channel: '#sales', credentialId: expect.any(String) } });
  });

  it('an event-source trigger: source, credential picker, JSON params and capacity, saved as typed', async () => {
    await stack.api.createCredential(stack.workspaceId, { name: 'Orders database', type: 'generic', data: { host: '127.0.0.1', user: 'postgres', database: 'test' } });
    const wf = await stack.api.createWorkflow(stack.workspaceId, { name: 'New leads' });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('[data-palette="trigger:event_source"]').click();
    await page.locator('input[name="source"]').fill('postgres.newRows@1');
    await page.locator('#event-source-credential').selectOption({ label: 'Orders database (generic)' });
    await page.locator('textarea[name="sourceParams"]').fill('{"table": "leads", "notifyChannel": "leads_inserted"}');
    await page.locator('input[name="capacity"]').click();
    await page.locator('input[name="capacity"]').fill('8');
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'connectors-event-source.png') });
    await expect.poll(async () => {
      const stored = (await stack.api.getDraft(stack.workspaceId, wf.id)).draft ?? (await stack.api.getWorkflow(stack.workspaceId, wf.id));
      return stored.triggers[0];
    }).toMatchObject({ type: 'event_source', config: { source: 'postgres.newRows@1', credentialId: expect.any(String), params: { table: 'leads', notifyChannel: 'leads_inserted' }, capacity: 8 } });
  });
});
