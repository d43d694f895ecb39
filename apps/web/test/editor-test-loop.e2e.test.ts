/**
 * Issue 17, "done when", in a real browser: a new user builds the README's reference flow (webhook → set → condition
 * → HTTP request), tests it with a real delivery to a test URL, pins a step's data, executes one step, publishes,
 * and sees the production run on the canvas. Screenshots: docs/screenshots/editor-test-loop-*.png.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20_000);
  page.on('dialog', (d) => void d.accept());
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `editor-test-loop-${name}.png`) });
const saved = () => page.locator('[data-testid=save-state][data-state=saved]').waitFor();

async function dropNode(key: string, x: number, y: number): Promise<string> {
  const before = await page.locator('.react-flow__node').count();
  await page.dragAndDrop(`[data-palette="${key}"]`, '[data-testid=canvas]', { targetPosition: { x, y } });
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(before + 1);
  const id = await page.locator('.react-flow__node.selected').getAttribute('data-id');
  if (!id) throw new Error(`no selected node after dropping ${key}`);
  return id;
}

async function connect(source: string, handle: string, target: string): Promise<void> {
  const from = await page.locator(`.react-flow__node[data-id="${source}"] .react-flow__handle.source[data-handleid="${handle}"]`).boundingBox();
  const to = await page.locator(`.react-flow__node[data-id="${target}"] .react-flow__handle.target`).boundingBox();
  if (!from || !to) throw new Error(`handles of ${source}/${handle} → ${target} not visible`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
}

const selectNode = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .wf-node-title`).click();
const nodeRun = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] [data-testid=node-run] [data-status]`);
/** Waits until the canvas shows run `runId` (or any other run than `notRunId`) as finished with `status`. */
async function canvasRun(status: string, runId?: string, notRunId?: string): Promise<string> {
  const badge = page.getByTestId('canvas-run-status');
  const shown = async () => (await badge.count()) > 0 ? await badge.getAttribute('data-run-id') : null;
  await expect.poll(async () => (await badge.count()) > 0 && (await badge.textContent())?.endsWith(status) && (runId === undefined || (await shown()) === runId) && (await shown()) !== notRunId, { timeout: 20_000 }).toBe(true);
  return (await badge.getAttribute('data-run-id')) ?? '';
}

describe('the editor test loop (issue 17, done when)', () => {
  it('build, listen for a real test delivery, pin, execute one step, publish, see the production run on the canvas', async () => {
    // Build the reference flow from the palette.
    await page.goto(`${stack.webUrl}/workflows`);
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByLabel('Name').fill('Lead alert (test loop)');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/workflows\/[^/?]+$/);
    const workflowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.locator('[data-palette="set"]').waitFor();
    const trigger = await dropNode('trigger:webhook', 120, 110);
    await page.locator('select[name="auth.type"]').selectOption('none');
    const score = await dropNode('set', 380, 110);
    await page.getByRole('button', { name: '+ Add field' }).click();
    await page.locator('[name="fields.0.name"]').fill('score');
    await page.locator('[name="fields.0.value"]').fill('{{ input.body.value * 2 }}');
    const check = await dropNode('condition', 120, 330);
    await page.locator('[name="left"]').fill('{{ input.score }}');
    await page.locator('[name="operator"]').selectOption(JSON.stringify('gt'));
    await page.locator('[name="right"]').fill('10');
    const notify = await dropNode('http-request', 380, 330);
    await page.locator('[name="url"]').fill(`${stack.sink.url}/notify`);
    await page.locator('[name="method"]').selectOption(JSON.stringify('POST'));
    await page.locator('[name="bodyType"]').selectOption(JSON.stringify('json'));
    await page.locator('[name="body"]').fill('{"score": "{{ input.score }}", "lead": "{{ input.body.name }}"}');
    await connect(trigger, 'out', score);
    await connect(score, 'out', check);
    await connect(check, 'true', notify);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await saved();
    expect(await page.getByTestId('canvas-run-status').count()).toBe(0); // no run yet

    // Listen for a test event; a real HTTP delivery to the test URL starts a test run of the draft.
    await page.getByRole('button', { name: 'Listen for a test event' }).click();
    const testUrl = (await page.getByTestId('test-url').textContent()) ?? '';
    expect(testUrl).toMatch(new RegExp(`^${stack.apiUrl}/api/test-events/[\\w-]+$`));
    await shot('1-listening');
    stack.sink.reset();
    const delivered = await fetch(testUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', value: 50 }) });
    expect(delivered.status).toBe(202);
    const { runId: testRunId } = (await delivered.json()) as { runId: string };
    await canvasRun('completed', testRunId);
    expect(await page.getByTestId('test-listening').count()).toBe(0);
    // The run on the canvas: each step's status and output items.
    for (const id of [trigger, score, check, notify]) await expect.poll(() => nodeRun(id).getAttribute('data-status')).toBe('completed');
    expect(await nodeRun(score).textContent()).toContain('1 item');
    const [first] = await stack.sink.waitForRequests(1);
    expect(JSON.parse(first?.body ?? '{}')).toEqual({ score: 100, lead: 'Ada' });
    const testRun = await stack.api.getRun(stack.workspaceId, testRunId);
    expect(testRun.triggeredBy).toMatchObject({ test: {}, payload: { body: { name: 'Ada', value: 50 }, method: 'POST' } });
    await shot('2-test-run-on-canvas');

    // Click a node: its input and output from that run; pin the output.
    await selectNode(score);
    const data = page.getByTestId('node-run-data');
    await data.getByTestId('node-run-status').getByText('this step completed').waitFor();
    await expect.poll(() => data.textContent()).toContain('score: 100');
    await data.getByRole('button', { name: 'Pin this output' }).click();
    await page.locator(`.react-flow__node[data-id="${score}"] .badge-pinned`).waitFor();
    await saved();
    const pinnedOutput = (await stack.api.getDraft(stack.workspaceId, workflowId)).draft?.nodes.find((n) => n.id === score)?.pinned;
    expect(pinnedOutput).toMatchObject({ score: 100, body: { name: 'Ada' } });
    await shot('3-pinned');

    // Execute one step: only the HTTP request runs, fed by the recorded/pinned outputs before it.
    stack.sink.reset();
    await selectNode(notify);
    await page.getByTestId('node-run-data').getByRole('button', { name: 'Execute this step' }).click();
    const stepRunId = await canvasRun('completed', undefined, testRunId);
    expect(stepRunId).not.toBe(testRunId);
    const [second] = await stack.sink.waitForRequests(1);
    expect(JSON.parse(second?.body ?? '{}')).toEqual({ score: 100, lead: 'Ada' });
    const stepRun = await stack.api.getRun(stack.workspaceId, stepRunId);
    expect(stepRun.triggeredBy.test).toEqual({ step: notify });
    expect(stepRun.steps.find((s) => s.nodeId === score)).toMatchObject({ status: 'completed', duration: 0, output: pinnedOutput });
    await page.getByTestId('node-run-status').getByText('this step completed').waitFor();
    await shot('4-execute-step');
    // Test runs are not production.
    expect((await stack.api.getWorkflow(stack.workspaceId, workflowId)).stats.totalRuns).toBe(0);

    // Publish, activate, and a real production delivery: the run is drawn on the canvas.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Publish version/ });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.locator('.editor-toolbar .badge-active').waitFor();
    const live = await stack.api.getWorkflow(stack.workspaceId, workflowId);
    const triggerId = live.triggers[0]?.id ?? '';
    stack.sink.reset();
    // The listener picks up a newly activated trigger within its reload interval (100 ms here): 404 until then.
    const deliver = () => fetch(`${stack.apiUrl}/webhook/${stack.workspaceId}/${triggerId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Grace', value: 4 }) });
    await expect.poll(async () => (await deliver()).status, { timeout: 5_000, interval: 200 }).toBe(202);
    await expect
      .poll(async () => (await stack.api.listRuns(stack.workspaceId, { workflowId, status: 'completed' })).items.some((r) => !r.triggeredBy.test), { timeout: 10_000 })
      .toBe(true);
    await page.reload();
    await canvasRun('completed');
    expect(await page.getByTestId('canvas-run-status').textContent()).toBe('run completed');
    // value 4 → score 8 (the pin does not apply to production): the condition took "false", the HTTP step was skipped.
    await expect.poll(() => nodeRun(score).getAttribute('data-status')).toBe('completed');
    await expect.poll(() => nodeRun(notify).getAttribute('data-status')).toBe('skipped');
    expect(stack.sink.requests).toHaveLength(0);
    await shot('5-production-run-on-canvas');
    // A skipped step says why.
    await selectNode(notify);
    expect(await page.getByTestId('skipped-because').textContent()).toBe('Skipped because Condition took its “false” output, not “true”.');
    expect((await stack.api.getWorkflow(stack.workspaceId, workflowId)).stats.totalRuns).toBe(1);

    // The runs list marks the two test runs.
    await page.goto(`${stack.webUrl}/runs?workflowId=${encodeURIComponent(workflowId)}`);
    await page.locator(`[data-run-id="${testRunId}"]`).waitFor();
    expect(await page.getByTestId('test-run-badge').count()).toBe(2);
    await shot('6-runs-list');
  });

  it('expression fields offer the run\'s input/trigger/steps paths: typing narrows them, a click completes, the preview evaluates', async () => {
    const triggerId = `trg_expr_${Date.now()}`;
    const wf = await stack.api.createWorkflow(stack.workspaceId, {
      name: 'Expressions',
      triggers: [{ id: triggerId, type: 'webhook', config: { auth: { type: 'none' } } }],
      nodes: [
        { id: 'hook', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
        { id: 'greet', type: 'set', label: 'Greet', position: { x: 260, y: 0 }, data: { fields: [{ name: 'who', value: '' }] } },
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'greet' }],
    });
    const { runId } = await stack.api.startTestRun(stack.workspaceId, wf.id, { payload: { body: { name: 'Ada', plan: 'pro' }, query: {}, headers: {}, method: 'POST' } });
    await expect.poll(async () => (await stack.api.getRun(stack.workspaceId, runId)).status).toBe('completed');
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await canvasRun('completed', runId);
    await selectNode('greet');
    const field = page.locator('[name="fields.0.value"]');
    await field.click();
    await field.pressSequentially('{{ input.bo');
    // (every text field has its list; only the focused field's is shown)
    const chips = page.locator('[data-testid=expression-fields]:visible .expr-chip');
    await expect.poll(() => chips.allTextContents()).toEqual(['input.body', 'input.body.name', 'input.body.plan']);
    await page.screenshot({ path: join(SCREENSHOTS, 'editor-expression-autocomplete.png') });
    await chips.filter({ hasText: 'input.body.name' }).click();
    await expect.poll(() => field.inputValue()).toBe('{{ input.body.name }}');
    await page.getByTestId('expression-preview').getByText('Preview: "Ada"').waitFor();
    await saved();
    expect((await stack.api.getDraft(stack.workspaceId, wf.id)).draft?.nodes.find((n) => n.id === 'greet')?.data).toEqual({ fields: [{ name: 'who', value: '{{ input.body.name }}' }] });
  });
});
