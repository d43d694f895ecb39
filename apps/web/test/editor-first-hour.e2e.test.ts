/**
 * Issue 17, "the editor's first hour", in a real browser: each numbered finding of the walk-through has a test
 * here that failed before the fix. Draft and publish (1, 8), node references that evaluate (2), Run now with a
 * delivery-shaped webhook payload (3), save on leave (4), a readable canvas at 1280×720 and 720 px wide (5).
 * Screenshots of each new piece go to docs/screenshots/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';
import type { Stack } from './stack';


const ui = useBrowserStack({ viewport: { width: 1280, height: 800 }, setupTimeoutMs: 240_000 });
let stack: Stack;
let page: Page;
const cspViolations: string[] = [];

const watchCsp = (p: Page) =>
  p.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

/** Another page (another viewport) in the same browser. */
async function newPage(width: number, height: number): Promise<Page> {
  const p = await ui.browser.newPage({ viewport: { width, height } });
  watchCsp(p);
  p.setDefaultTimeout(20_000);
  return p;
}

beforeAll(() => {
  ({ stack, page } = ui);
  watchCsp(page);
});

const saved = (p: Page = page) => p.locator('[data-testid=save-state][data-state=saved]').waitFor();

/** webhook (no auth) → condition `input.body.value > 10` → true: POST to the sink's `/big`. */
async function webhookFlow(name: string) {
  const triggerId = `trg_${name.replace(/\W+/g, '_')}_${Date.now()}`;
  const wf = await stack.api.createWorkflow(stack.workspaceId, {
    name,
    triggers: [{ id: triggerId, type: 'webhook', config: { auth: { type: 'none' } } }],
    nodes: [
      { id: 'hook', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
      { id: 'check', type: 'condition', label: 'Is it big?', position: { x: 260, y: 0 }, data: { left: '{{ input.body.value }}', operator: 'gt', right: 10 } },
      { id: 'notify', type: 'http-request', label: 'Notify', position: { x: 520, y: 0 }, data: { url: `${stack.sink.url}/big`, method: 'POST', bodyType: 'json', body: '{"v": "{{ trigger.body.value }}"}' } },
      { id: 'note', type: 'set', label: 'Small', position: { x: 520, y: 140 }, data: { fields: [{ name: 'small', value: true }] } },
    ],
    edges: [
      { id: 'e1', source: 'hook', target: 'check' },
      { id: 'e2', source: 'check', sourceHandle: 'true', target: 'notify' },
      { id: 'e3', source: 'check', sourceHandle: 'false', target: 'note' },
    ],
  });
  return { wf, triggerId };
}

async function selectNode(p: Page, id: string): Promise<void> {
  await p.locator(`.react-flow__node[data-id="${id}"] .wf-node-title`).click();
}

describe('the editor’s first hour (issue 17)', () => {
  it('1 & 8: edits of an active workflow are a draft until Publish; versions are the published ones, with a diff and a message', async () => {
    const { wf, triggerId } = await webhookFlow('Live lead alert');
    await stack.api.activateWorkflow(stack.workspaceId, wf.id);
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('.react-flow__node[data-id="notify"]').waitFor();
    expect(await page.getByTestId('publish-state').getAttribute('data-state')).toBe('published');

    // Half-typing a URL into the live workflow: many autosaves, none of them live, none a version.
    await selectNode(page, 'notify');
    const url = page.locator('[name="url"]');
    for (const partial of ['http://', 'http://127.0.0.1', `${stack.sink.url}/half`]) {
      await url.fill(partial);
      await saved();
    }
    await page.getByTestId('publish-state').and(page.locator('[data-state=unpublished]')).waitFor();
    expect(await page.getByTestId('publish-state').textContent()).toContain('Live · unpublished changes');
    const live = await stack.api.getWorkflow(stack.workspaceId, wf.id);
    expect(live.version).toBe(1);
    expect(live.nodes.find((n) => n.id === 'notify')?.data).toMatchObject({ url: `${stack.sink.url}/big` });
    expect((await stack.api.listVersions(stack.workspaceId, wf.id)).items.map((v) => v.version)).toEqual([1]);

    // Production traffic still takes the published graph.
    stack.sink.reset();
    const answer = await fetch(`${stack.apiUrl}/webhook/${stack.workspaceId}/${triggerId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value": 50}' });
    expect(answer.status).toBe(202);
    const [delivered] = await stack.sink.waitForRequests(1);
    expect(delivered?.url).toBe('/big');

    // Publish: the diff names the node by its label; the message is kept on the version.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish version 2' });
    await dialog.getByTestId('publish-diff').getByText('Notify (http-request)').waitFor();
    await dialog.locator('[name=publishMessage]').fill('Send big leads to /half');
    await page.screenshot({ path: join(SCREENSHOTS, 'publish-dialog.png') });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('live-version').and(page.getByText('Live v2')).waitFor();
    expect(await page.getByTestId('publish-state').getAttribute('data-state')).toBe('published');
    const versions = (await stack.api.listVersions(stack.workspaceId, wf.id)).items;
    expect(versions.map((v) => [v.version, v.message])).toEqual([[2, 'Send big leads to /half'], [1, undefined]]);
    expect((await stack.api.getWorkflow(stack.workspaceId, wf.id)).nodes.find((n) => n.id === 'notify')?.data).toMatchObject({ url: `${stack.sink.url}/half` });
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByTestId('version-message').getByText('Send big leads to /half').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'versions-published.png') });
    await stack.api.pauseWorkflow(stack.workspaceId, wf.id);
  });

  it('2: every node reference the editor shows evaluates (new ids, and old hyphenated ids)', async () => {
    const triggerId = `trg_refs_${Date.now()}`;
    const wf = await stack.api.createWorkflow(stack.workspaceId, {
      name: 'References',
      triggers: [{ id: triggerId, type: 'manual' }],
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
        { id: 'set-1sc7es', type: 'set', position: { x: 260, y: 0 }, data: { fields: [{ name: 'a', value: 1 }] } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'set-1sc7es' }],
    });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('[data-palette="set"]').waitFor();
    await page.locator('[data-palette="set"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    const newId = (await page.locator('.react-flow__node.selected').getAttribute('data-id')) ?? '';
    const references: Array<[string, string]> = [[newId, (await page.getByTestId('step-reference').textContent()) ?? '']];
    await selectNode(page, 'set-1sc7es');
    references.push(['set-1sc7es', (await page.getByTestId('step-reference').textContent()) ?? '']);
    for (const [id, template] of references) {
      const preview = await stack.api.previewExpression(stack.workspaceId, { template, scope: { input: null, trigger: null, steps: { [id]: { ok: id } } } });
      expect(preview, `${template} for ${id}`).toMatchObject({ ok: true, value: { ok: id } });
    }
    expect(references[1]?.[1]).toBe('{{ steps.`set-1sc7es` }}');
  });

  it('3: Run now on a webhook workflow sends a delivery-shaped payload and takes the branch a real delivery would', async () => {
    const { wf } = await webhookFlow('Run now webhook');
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('.react-flow__node[data-id="hook"]').waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    const payload = page.locator('textarea[name="payload"]');
    const offered = JSON.parse(await payload.inputValue()) as Record<string, unknown>;
    expect(Object.keys(offered).sort()).toEqual(['body', 'headers', 'method', 'query']);
    expect(JSON.stringify(offered)).not.toContain('hello');

    // A body that is not shaped like a delivery is refused with what to do, not run with wrong branches.
    await payload.fill('{"value": 50}');
    await page.getByTestId('payload-shape-error').getByText(/"body"/).first().waitFor();
    expect(await page.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);
    await payload.fill(JSON.stringify({ body: { value: 50 }, query: {}, headers: {}, method: 'POST' }));
    await page.screenshot({ path: join(SCREENSHOTS, 'run-now-webhook.png') });
    stack.sink.reset();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/runs\/[^/?]+$/);
    await page.locator('.page-head .badge-completed').waitFor();
    const [req] = await stack.sink.waitForRequests(1);
    expect(req?.url).toBe('/big');
    // 10: the timeline names steps by their labels (the ids stay as tooltips).
    const timeline = page.getByRole('list', { name: 'Step timeline' });
    await timeline.getByText('Is it big?').waitFor();
    await timeline.getByText('Notify').waitFor();
    expect(await page.locator('[data-step="check"] [title="check"]').count()).toBe(1);
    expect(req?.body).toContain('50');
  });

  it('4: edits made just before leaving are saved (route change), and closing the tab with unsaved edits asks first', async () => {
    const { wf } = await webhookFlow('Save on leave');
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await selectNode(page, 'notify');
    await page.locator('[name="url"]').fill(`${stack.sink.url}/typed-then-left`);
    // Well inside the 800 ms autosave delay.
    await page.getByRole('link', { name: 'Back to workflows' }).click();
    await page.waitForURL(/\/workflows$/);
    await expect
      .poll(async () => (await stack.api.getDraft(stack.workspaceId, wf.id)).draft?.nodes.find((n) => n.id === 'notify')?.data.url, { timeout: 10_000 })
      .toBe(`${stack.sink.url}/typed-then-left`);

    // Closing the tab: the page cancels `beforeunload` (the browser's "Leave site?" prompt) only while edits are unsaved.
    const tab = await newPage(1280, 800);
    await tab.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await selectNode(tab, 'notify');
    const leaveIsHeld = () => tab.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));
    expect(await leaveIsHeld()).toBe(false);
    await tab.locator('[name="url"]').fill(`${stack.sink.url}/closing`);
    expect(await leaveIsHeld()).toBe(true);
    // …and the edit reaches the draft.
    await expect
      .poll(async () => (await stack.api.getDraft(stack.workspaceId, wf.id)).draft?.nodes.find((n) => n.id === 'notify')?.data.url, { timeout: 5_000 })
      .toBe(`${stack.sink.url}/closing`);
    await saved(tab);
    expect(await leaveIsHeld()).toBe(false);
    await tab.close();
  });

  it('5: a small flow opens readable at 1280×720; panels collapse; at 720 px wide the canvas stays usable', async () => {
    const { wf } = await webhookFlow('Readable canvas');
    const small = await newPage(1280, 720);
    await small.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await small.locator('.react-flow__node[data-id="note"]').waitFor();
    const zoom = async (p: Page) =>
      p.locator('.react-flow__viewport').evaluate((el) => Number(/scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform)?.[1] ?? 0));
    await expect.poll(() => zoom(small)).toBeGreaterThanOrEqual(0.8);
    expect(await zoom(small)).toBeLessThanOrEqual(1);
    const titlePx = await small.locator('.react-flow__node[data-id="check"] .wf-node-title').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(titlePx * (await zoom(small))).toBeGreaterThanOrEqual(10);
    await small.screenshot({ path: join(SCREENSHOTS, 'editor-1280x720.png') });

    const canvasWidth = async (p: Page) => (await p.getByTestId('canvas').boundingBox())?.width ?? 0;
    const withPanels = await canvasWidth(small);
    await small.getByRole('button', { name: 'Nodes', exact: true }).click();
    await small.getByRole('button', { name: 'Panel', exact: true }).click();
    await expect.poll(() => canvasWidth(small)).toBeGreaterThan(withPanels + 400);
    await small.screenshot({ path: join(SCREENSHOTS, 'editor-panels-collapsed.png') });
    await small.close();

    const narrow = await newPage(720, 900);
    await narrow.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await narrow.locator('.react-flow__node[data-id="check"]').waitFor();
    const box = await narrow.getByTestId('canvas').boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(680);
    expect(box?.height).toBeGreaterThanOrEqual(500);
    expect(await narrow.locator('.react-flow__node[data-id="check"]').isVisible()).toBe(true);
    await narrow.screenshot({ path: join(SCREENSHOTS, 'editor-720-wide.png') });
    // The side panel opens over the canvas and edits work there.
    await selectNode(narrow, 'check');
    await narrow.getByRole('button', { name: 'Panel', exact: true }).click();
    await narrow.locator('[name="left"]').waitFor();
    await narrow.screenshot({ path: join(SCREENSHOTS, 'editor-720-panel.png') });
    await narrow.close();
  });

  it('6: credentials are picked by name from the ones of the types the node accepts', async () => {
    const bearer = await stack.api.createCredential(stack.workspaceId, { name: 'CRM bearer', type: 'http_bearer', data: { token: 't' }, allowedHosts: ['127.0.0.1'] });
    await stack.api.createCredential(stack.workspaceId, { name: 'OpenAI key', type: 'openai', data: { apiKey: 'sk-x' }, allowedHosts: ['127.0.0.1'] });
    const { wf } = await webhookFlow('Credential picker');
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await selectNode(page, 'notify');
    const picker = page.locator('select[name="credentialId"]');
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['— none —', 'CRM bearer (http_bearer)']);
    await picker.selectOption(bearer.id);
    await saved();
    expect((await stack.api.getDraft(stack.workspaceId, wf.id)).draft?.nodes.find((n) => n.id === 'notify')?.data).toMatchObject({ credentialId: bearer.id });
    await page.locator('label', { has: picker }).screenshot({ path: join(SCREENSHOTS, 'credential-picker.png') });
  });

  it('9: problems name the node by its label and say what to do; a freshly added node is not a wall of "required"', async () => {
    const triggerId = `trg_errors_${Date.now()}`;
    const wf = await stack.api.createWorkflow(stack.workspaceId, {
      name: 'Human errors',
      triggers: [{ id: triggerId, type: 'manual' }],
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
        { id: 'http_x1', type: 'http-request', label: 'Notify', position: { x: 260, y: 0 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'http_x1' }],
    });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('[data-palette="set"]').waitFor();
    await page.locator('[data-palette="http-request"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[name="url"]').waitFor();
    expect(await page.locator('.inspector .field-error:not([aria-hidden])').count()).toBe(0);
    // Typing then clearing a field is a touch: now it may say it is required.
    await page.locator('[name="url"]').fill('x');
    await page.locator('[name="url"]').fill('');
    await page.locator('.inspector .field-error:not([aria-hidden])').first().waitFor();

    await page.getByRole('button', { name: 'Activate' }).click();
    const list = page.getByRole('list', { name: 'Problems' });
    await list.getByText('“Notify” (HTTP request)').first().waitFor();
    const text = (await list.textContent()) ?? '';
    expect(text).toContain('URL is required: fill it in.');
    expect(text).not.toMatch(/nodes\.\d|Invalid input|http_x1/);
    await page.screenshot({ path: join(SCREENSHOTS, 'problems-human.png') });
  });

  it('9: after an invalid cron the old fire times are no longer listed', async () => {
    const triggerId = `trg_cron_${Date.now()}`;
    const wf = await stack.api.createWorkflow(stack.workspaceId, {
      name: 'Cron edits',
      triggers: [{ id: triggerId, type: 'schedule', config: { cron: '0 * * * *', timezone: 'UTC' } }],
      nodes: [{ id: 'tick', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } }],
    });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await selectNode(page, 'tick');
    const times = page.getByRole('list', { name: 'Next fire times' }).locator('li');
    await expect.poll(() => times.count()).toBe(5);
    await page.locator('input[name="cron"]').fill('61 * * * *');
    await expect.poll(() => times.count()).toBe(0);
    await page.getByTestId('fire-times-pending').waitFor();
    await page.locator('input[name="cron"]').fill('30 * * * *');
    await expect.poll(() => times.count(), { timeout: 10_000 }).toBe(5);
    expect(await times.first().textContent()).toMatch(/:30:00/);
  });

  it('7: a template asks for its example URLs to be replaced before it can be activated or published', async () => {
    const wf = await stack.api.instantiateTemplate(stack.workspaceId, 'http-health-check', { name: 'Health check from template' });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('.react-flow__node[data-id="probe"]').waitFor();
    await page.getByRole('button', { name: 'Activate' }).click();
    const list = page.getByRole('list', { name: 'Problems' });
    await list.getByText('https://status.example.com/healthz').waitFor();
    expect(await list.textContent()).toContain('“Probe” (HTTP request)');
    expect((await stack.api.getWorkflow(stack.workspaceId, wf.id)).status).toBe('draft');

    await selectNode(page, 'probe');
    await page.locator('[name="url"]').fill(`${stack.sink.url}/health`);
    await saved();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish version 2' });
    await dialog.getByTestId('placeholders').getByText('https://hooks.example.com/oncall').waitFor();
    expect(await dialog.getByTestId('placeholders').textContent()).not.toContain('status.example.com');
    expect(await dialog.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'publish-placeholders.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('11: nodes added from the palette by click or keyboard do not stack on each other', async () => {
    const wf = await stack.api.createWorkflow(stack.workspaceId, { name: 'No stacking' });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('[data-palette="set"]').waitFor();
    for (let i = 1; i <= 3; i += 1) {
      await page.locator('[data-palette="set"]').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.react-flow__node').count()).toBe(i);
    }
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
  });

  it('caused no Content Security Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
