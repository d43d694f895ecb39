/**
 * Issue 17, "done when", in a real browser: a new user builds the README's reference flow (webhook → set → condition
 * → HTTP request), tests it with a real delivery to a test URL, pins a step's data, executes one step, publishes,
 * and sees the production run on the canvas. Screenshots: docs/screenshots/editor-test-loop-*.png.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';

const ui = useBrowserStack({ viewport: { width: 1280, height: 800 } });

const shot = (name: string) => ui.page.screenshot({ path: join(SCREENSHOTS, `editor-test-loop-${name}.png`) });
const saved = () => ui.page.locator('[data-testid=save-state][data-state=saved]').waitFor();

async function dropNode(key: string, x: number, y: number): Promise<string> {
  const before = await ui.page.locator('.react-flow__node').count();
  await ui.page.dragAndDrop(`[data-palette="${key}"]`, '[data-testid=canvas]', { targetPosition: { x, y } });
  await expect.poll(() => ui.page.locator('.react-flow__node').count()).toBe(before + 1);
  const id = await ui.page.locator('.react-flow__node.selected').getAttribute('data-id');
  if (!id) throw new Error(`no selected node after dropping ${key}`);
  return id;
}

async function connect(source: string, handle: string, target: string): Promise<void> {
  const from = await ui.page.locator(`.react-flow__node[data-id="${source}"] .react-flow__handle.source[data-handleid="${handle}"]`).boundingBox();
  const to = await ui.page.locator(`.react-flow__node[data-id="${target}"] .react-flow__handle.target`).boundingBox();
  if (!from || !to) throw new Error(`handles of ${source}/${handle} → ${target} not visible`);
  await ui.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await ui.page.mouse.down();
  await ui.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await ui.page.mouse.up();
}

const selectNode = (id: string) => ui.page.locator(`.react-flow__node[data-id="${id}"] .wf-node-title`).click();
const nodeRun = (id: string) => ui.page.locator(`.react-flow__node[data-id="${id}"] [data-testid=node-run] [data-status]`);
/** Waits until the canvas shows run `runId` (or any other run than `notRunId`) as finished with `status`. */
async function canvasRun(status: string, runId?: string, notRunId?: string): Promise<string> {
  const badge = ui.page.getByTestId('canvas-run-status');
  const shown = async () => (await badge.count()) > 0 ? await badge.getAttribute('data-run-id') : null;
  await expect.poll(async () => (await badge.count()) > 0 && (await badge.textContent())?.endsWith(status) && (runId === undefined || (await shown()) === runId) && (await shown()) !== notRunId, { timeout: 20_000 }).toBe(true);
  return (await badge.getAttribute('data-run-id')) ?? '';
}

describe('the editor test loop (issue 17, done when)', () => {
  it('build, listen for a real test delivery, pin, execute one step, publish, see the production run on the canvas', async () => {
    // Build the reference flow from the palette.
    await ui.page.goto(`${ui.stack.webUrl}/workflows`);
    await ui.page.getByRole('button', { name: 'New workflow' }).click();
    await ui.page.getByLabel('Name').fill('Lead alert (test loop)');
    await ui.page.getByRole('button', { name: 'Create' }).click();
    await ui.page.waitForURL(/\/workflows\/[^/?]+$/);
    const workflowId = decodeURIComponent(new URL(ui.page.url()).pathname.split('/').pop() ?? '');
    await ui.page.locator('[data-palette="set"]').waitFor();
    const trigger = await dropNode('trigger:webhook', 120, 110);
    await ui.page.locator('select[name="auth.type"]').selectOption('none');
    const score = await dropNode('set', 380, 110);
    await ui.page.getByRole('button', { name: '+ Add field' }).click();
    await ui.page.locator('[name="fields.0.name"]').fill('score');
    await ui.page.locator('[name="fields.0.value"]').fill('{{ input.body.value * 2 }}');
    const check = await dropNode('condition', 120, 330);
    await ui.page.locator('[name="left"]').fill('{{ input.score }}');
    await ui.page.locator('[name="operator"]').selectOption(JSON.stringify('gt'));
    await ui.page.locator('[name="right"]').fill('10');
    const notify = await dropNode('http-request', 380, 330);
    await ui.page.locator('[name="url"]').fill(`${ui.stack.sink.url}/notify`);
    await ui.page.locator('[name="method"]').selectOption(JSON.stringify('POST'));
    await ui.page.locator('[name="bodyType"]').selectOption(JSON.stringify('json'));
    await ui.page.locator('[name="body"]').fill('{"score": "{{ input.score }}", "lead": "{{ input.body.name }}"}');
    await connect(trigger, 'out', score);
    await connect(score, 'out', check);
    await connect(check, 'true', notify);
    await expect.poll(() => ui.page.locator('.react-flow__edge').count()).toBe(3);
    await saved();
    expect(await ui.page.getByTestId('canvas-run-status').count()).toBe(0); // no run yet

    // Listen for a test event; a real HTTP delivery to the test URL starts a test run of the draft.
    await ui.page.getByRole('button', { name: 'Listen for a test event' }).click();
    const testUrl = (await ui.page.getByTestId('test-url').textContent()) ?? '';
    expect(testUrl).toMatch(new RegExp(`^${ui.stack.apiUrl}/api/test-events/[\\w-]+$`));
    await shot('1-listening');
    ui.stack.sink.reset();
    const delivered = await fetch(testUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', value: 50 }) });
    expect(delivered.status).toBe(202);
    const { runId: testRunId } = (await delivered.json()) as { runId: string };
    await canvasRun('completed', testRunId);
    expect(await ui.page.getByTestId('test-listening').count()).toBe(0);
    // The run on the canvas: each step's status and output items.
    for (const id of [trigger, score, check, notify]) await expect.poll(() => nodeRun(id).getAttribute('data-status')).toBe('completed');
    expect(await nodeRun(score).textContent()).toContain('1 item');
    const [first] = await ui.stack.sink.waitForRequests(1);
    expect(JSON.parse(first?.body ?? '{}')).toEqual({ score: 100, lead: 'Ada' });
    const testRun = await ui.stack.api.getRun(ui.stack.workspaceId, testRunId);
    expect(testRun.triggeredBy).toMatchObject({ test: {}, payload: { body: { name: 'Ada', value: 50 }, method: 'POST' } });
    await shot('2-test-run-on-canvas');

    // Click a node: its input and output from that run; pin the output.
    await selectNode(score);
    const data = ui.page.getByTestId('node-run-data');
    await data.getByTestId('node-run-status').getByText('this step completed').waitFor();
    await expect.poll(() => data.textContent()).toContain('score: 100');
    await data.getByRole('button', { name: 'Pin this output' }).click();
    await ui.page.locator(`.react-flow__node[data-id="${score}"] .badge-pinned`).waitFor();
    await saved();
    const pinnedOutput = (await ui.stack.api.getDraft(ui.stack.workspaceId, workflowId)).draft?.nodes.find((n) => n.id === score)?.pinned;
    expect(pinnedOutput).toMatchObject({ score: 100, body: { name: 'Ada' } });
    await shot('3-pinned');

    // Execute one step: only the HTTP request runs, fed by the recorded/pinned outputs before it.
    ui.stack.sink.reset();
    await selectNode(notify);
    await ui.page.getByTestId('node-run-data').getByRole('button', { name: 'Execute this step' }).click();
    const stepRunId = await canvasRun('completed', undefined, testRunId);
    expect(stepRunId).not.toBe(testRunId);
    const [second] = await ui.stack.sink.waitForRequests(1);
    expect(JSON.parse(second?.body ?? '{}')).toEqual({ score: 100, lead: 'Ada' });
    const stepRun = await ui.stack.api.getRun(ui.stack.workspaceId, stepRunId);
    expect(stepRun.triggeredBy.test).toEqual({ step: notify });
    expect(stepRun.steps.find((s) => s.nodeId === score)).toMatchObject({ status: 'completed', duration: 0, output: pinnedOutput });
    await ui.page.getByTestId('node-run-status').getByText('this step completed').waitFor();
    await shot('4-execute-step');
    // Test runs are not production.
    expect((await ui.stack.api.getWorkflow(ui.stack.workspaceId, workflowId)).stats.totalRuns).toBe(0);

    // Publish, activate, and a real production delivery: the run is drawn on the canvas.
    await ui.page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = ui.page.getByRole('dialog', { name: /Publish version/ });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await ui.page.getByRole('button', { name: 'Activate' }).click();
    await ui.page.locator('.editor-toolbar .badge-active').waitFor();
    const live = await ui.stack.api.getWorkflow(ui.stack.workspaceId, workflowId);
    const triggerId = live.triggers[0]?.id ?? '';
    ui.stack.sink.reset();
    // The listener picks up a newly activated trigger within its reload interval (100 ms here): 404 until then.
    const deliver = () => fetch(`${ui.stack.apiUrl}/webhook/${ui.stack.workspaceId}/${triggerId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Grace', value: 4 }) });
    await expect.poll(async () => (await deliver()).status, { timeout: 5_000, interval: 200 }).toBe(202);
    await expect
      .poll(async () => (await ui.stack.api.listRuns(ui.stack.workspaceId, { workflowId, status: 'completed' })).items.some((r) => !r.triggeredBy.test), { timeout: 10_000 })
      .toBe(true);
    await ui.page.reload();
    await canvasRun('completed');
    expect(await ui.page.getByTestId('canvas-run-status').textContent()).toBe('run completed');
    // value 4 → score 8 (the pin does not apply to production): the condition took "false", the HTTP step was skipped.
    await expect.poll(() => nodeRun(score).getAttribute('data-status')).toBe('completed');
    await expect.poll(() => nodeRun(notify).getAttribute('data-status')).toBe('skipped');
    expect(ui.stack.sink.requests).toHaveLength(0);
    await shot('5-production-run-on-canvas');
    // A skipped step says why.
    await selectNode(notify);
    expect(await ui.page.getByTestId('skipped-because').textContent()).toBe('Skipped because Condition took its “false” output, not “true”.');
    expect((await ui.stack.api.getWorkflow(ui.stack.workspaceId, workflowId)).stats.totalRuns).toBe(1);

    // The runs list marks the two test runs.
    await ui.page.goto(`${ui.stack.webUrl}/runs?workflowId=${encodeURIComponent(workflowId)}`);
    await ui.page.locator(`[data-run-id="${testRunId}"]`).waitFor();
    expect(await ui.page.getByTestId('test-run-badge').count()).toBe(2);
    await shot('6-runs-list');
  });

  it('expression fields offer the run\'s input/trigger/steps paths: typing narrows them, a click completes, the preview evaluates', async () => {
    const triggerId = `trg_expr_${Date.now()}`;
    const wf = await ui.stack.api.createWorkflow(ui.stack.workspaceId, {
      name: 'Expressions',
      triggers: [{ id: triggerId, type: 'webhook', config: { auth: { type: 'none' } } }],
      nodes: [
        { id: 'hook', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
        { id: 'greet', type: 'set', label: 'Greet', position: { x: 260, y: 0 }, data: { fields: [{ name: 'who', value: '' }] } },
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'greet' }],
    });
    const { runId } = await ui.stack.api.startTestRun(ui.stack.workspaceId, wf.id, { payload: { body: { name: 'Ada', plan: 'pro' }, query: {}, headers: {}, method: 'POST' } });
    await expect.poll(async () => (await ui.stack.api.getRun(ui.stack.workspaceId, runId)).status).toBe('completed');
    await ui.page.goto(`${ui.stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await canvasRun('completed', runId);
    await selectNode('greet');
    const field = ui.page.locator('[name="fields.0.value"]');
    await field.click();
    await field.pressSequentially('{{ input.bo');
    // (every text field has its list; only the focused field's is shown)
    const chips = ui.page.locator('[data-testid=expression-fields]:visible .expr-chip');
    await expect.poll(() => chips.allTextContents()).toEqual(['input.body', 'input.body.name', 'input.body.plan']);
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'editor-expression-autocomplete.png') });
    await chips.filter({ hasText: 'input.body.name' }).click();
    await expect.poll(() => field.inputValue()).toBe('{{ input.body.name }}');
    await ui.page.getByTestId('expression-preview').getByText('Preview: "Ada"').waitFor();
    await saved();
    expect((await ui.stack.api.getDraft(ui.stack.workspaceId, wf.id)).draft?.nodes.find((n) => n.id === 'greet')?.data).toEqual({ fields: [{ name: 'who', value: '{{ input.body.name }}' }] });
  });
});
