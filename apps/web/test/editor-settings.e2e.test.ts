/**
 * Issue 17's remaining "smaller" items in a real browser: workflow settings and webhook limits in the editor,
 * duplicate / export / import / archive from the workflows list, the connector credential Test button, and dialogs
 * that trap focus. Screenshots: docs/screenshots/editor-settings-*.png.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectorPackageNames, loadConnectors } from '@outrun/connector-kit';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';
import type { Stack } from './stack';

// Downloads are accepted by default (playwright's newPage); dialogs are left to each case.
const ui = useBrowserStack({ viewport: { width: 1280, height: 800 }, acceptDialogs: false, setupTimeoutMs: 240_000, stack: async () => ({ connectors: await loadConnectors(connectorPackageNames('builtin')) }) });
let stack: Stack;
let page: Page;
beforeAll(() => {
  ({ stack, page } = ui);
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `editor-settings-${name}.png`) });
const saved = () => page.locator('[data-testid=save-state][data-state=saved]').waitFor();
const draftOf = async (id: string) => (await stack.api.getDraft(stack.workspaceId, id)).draft;

describe('editor settings and the workflows list (issue 17, smaller items)', () => {
  it('edits the workflow settings: timeout, retry policy, concurrency, error workflow picker, input schema with validation', async () => {
    const handler = await stack.api.createWorkflow(stack.workspaceId, { name: 'Alert on failure' });
    const wf = await stack.api.createWorkflow(stack.workspaceId, { name: 'Settings under test' });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    const panel = page.locator('section[aria-label="Workflow settings"]');
    await panel.waitFor();
    await panel.locator('[name=timeout]').fill('45');
    await panel.locator('[name=concurrency]').fill('3');
    await panel.locator('[name=maxRetries]').fill('5');
    await panel.locator('[name=backoffStrategy]').selectOption('fixed');
    await panel.locator('[name=initialDelay]').fill('2000');
    await panel.locator('[name=errorWorkflowId]').selectOption({ label: 'Alert on failure' });
    // Invalid JSON is refused with a message and not kept.
    await panel.locator('[name=inputSchema]').fill('{"type": "object", ');
    await panel.locator('[name=concurrency]').focus();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('Not valid JSON');
    await panel.locator('[name=inputSchema]').fill('{"type": "array"}');
    await panel.locator('[name=concurrency]').focus();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('"type": "object"');
    await panel.locator('[name=inputSchema]').fill('{"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"]}');
    await panel.locator('[name=concurrency]').focus();
    await expect.poll(() => panel.getByRole('alert').count()).toBe(0);
    await saved();
    await expect.poll(async () => (await draftOf(wf.id))?.settings?.inputSchema).toEqual({ type: 'object', properties: { email: { type: 'string' } }, required: ['email'] });
    const settings = (await draftOf(wf.id))?.settings;
    expect(settings).toMatchObject({ timeout: 45_000, concurrency: 3, errorWorkflowId: handler.id, retryPolicy: { maxRetries: 5, backoffStrategy: 'fixed', initialDelay: 2000 } });
    await panel.locator('[name=inputSchema]').scrollIntoViewIfNeeded();
    await shot('1-workflow-settings');
  });

  it('edits a webhook trigger’s body limit, rate limit and included headers', async () => {
    const wf = await stack.api.createWorkflow(stack.workspaceId, { name: 'Webhook limits' });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('[data-palette="trigger:webhook"]').waitFor();
    await page.dragAndDrop('[data-palette="trigger:webhook"]', '[data-testid=canvas]', { targetPosition: { x: 200, y: 150 } });
    const limits = page.locator('fieldset:has(> legend:text-is("Limits and headers"))');
    await limits.locator('[name=maxBodyKiB]').fill('64');
    await limits.locator('[name=rateLimited]').check();
    await limits.locator('[name=rps]').fill('5');
    await limits.locator('[name=burst]').fill('10');
    await limits.locator('[name=includeHeaders]').fill('X-Request-Id, User-Agent');
    await limits.locator('[name=maxBodyKiB]').focus();
    await saved();
    await expect.poll(async () => (await draftOf(wf.id))?.triggers?.[0]?.config).toMatchObject({ maxBodyBytes: 64 * 1024, rateLimit: { rps: 5, burst: 10 }, includeHeaders: ['x-request-id', 'user-agent'] });
    await limits.scrollIntoViewIfNeeded();
    await shot('2-webhook-limits');
    // Switching the rate limit off removes it from the trigger.
    await limits.locator('[name=rateLimited]').uncheck();
    await saved();
    await expect.poll(async () => (await draftOf(wf.id))?.triggers?.[0]?.config && 'rateLimit' in ((await draftOf(wf.id))?.triggers?.[0]?.config ?? {})).toBe(false);
  });

  it('duplicates, exports, imports and archives workflows from the list', async () => {
    const wf = await stack.api.createWorkflow(stack.workspaceId, { name: 'Lead router', description: 'routes leads', settings: { concurrency: 2 } });
    await page.goto(`${stack.webUrl}/workflows?q=Lead%20router`);
    await page.getByRole('button', { name: 'Duplicate Lead router' }).click();
    await page.getByRole('link', { name: 'Lead router (copy)' }).waitFor();
    const copy = (await stack.api.listWorkflows(stack.workspaceId, { limit: 500 })).items.find((w) => w.name === 'Lead router (copy)');
    expect(copy?.id).not.toBe(wf.id);
    expect((await stack.api.getWorkflow(stack.workspaceId, copy!.id)).settings.concurrency).toBe(2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Lead router', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe('lead-router.outrun.json');
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { schemaVersion: number; workflow: { name: string; description?: string } };
    expect(exported).toMatchObject({ schemaVersion: 1, workflow: { name: 'Lead router', description: 'routes leads' } });

    // Import: a bad file says why; a good one opens the new workflow.
    await page.getByTestId('import-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not json') });
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not a JSON file');
    const renamed = { ...exported, workflow: { ...exported.workflow, name: 'Imported router' } };
    await page.getByTestId('import-file').setInputFiles({ name: 'router.outrun.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(renamed)) });
    await page.waitForURL(/\/workflows\/[^/?]+$/);
    const importedId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect((await stack.api.getWorkflow(stack.workspaceId, importedId)).name).toBe('Imported router');

    await page.goto(`${stack.webUrl}/workflows?q=router`);
    await page.getByRole('button', { name: 'Archive Lead router', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Archive workflow' });
    await dialog.waitFor();
    await shot('3-workflows-list-archive');
    await dialog.getByRole('button', { name: 'Archive workflow' }).click();
    await expect.poll(async () => (await stack.api.getWorkflow(stack.workspaceId, wf.id)).status).toBe('archived');
    await expect.poll(() => page.getByRole('button', { name: 'Archive Lead router', exact: true }).count()).toBe(0);
    await shot('4-workflows-list');
  });

  it('tests a connector credential against the real service before saving it', async () => {
    await page.goto(`${stack.webUrl}/settings?tab=credentials`);
    const form = page.locator('section[aria-label=Credentials]');
    await form.getByLabel('Type').selectOption('generic');
    await form.getByLabel('Name').fill('Local Redis');
    await form.getByLabel('Data (JSON)').fill('{"host": "127.0.0.1", "port": 6379}');
    await form.locator('[name=connectorCredentialType]').selectOption('redis.connection');
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    const result = form.getByTestId('credential-test-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 15_000 }).toBe('true');
    await shot('5-credential-test');
    // A port nothing listens on: the test fails and says so.
    await form.getByLabel('Data (JSON)').fill('{"host": "127.0.0.1", "port": 1}');
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 15_000 }).toBe('false');
    expect((await result.textContent())?.length ?? 0).toBeGreaterThan(3);
  });

  it('traps focus in a dialog: Tab cycles inside, Escape closes, focus returns to the opener', async () => {
    await page.goto(`${stack.webUrl}/workflows`);
    const opener = page.getByRole('button', { name: 'New workflow' });
    await expect.poll(() => opener.isEnabled()).toBe(true);
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const focusInside = () => page.evaluate(() => Boolean(document.activeElement?.closest('[role=dialog]')));
    expect(await focusInside()).toBe(true);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInside(), `focus left the dialog after ${i + 1} Tab presses`).toBe(true);
      seen.add(await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80) ?? ''));
    }
    expect(seen.size).toBeGreaterThan(1);
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInside(), `focus left the dialog after ${i + 1} Shift+Tab presses`).toBe(true);
    }
    await shot('6-dialog-focus');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('New workflow');
  });
});
