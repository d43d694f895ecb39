/**
 * In a real browser: a parent run waits for a child that waits for an approval. The parent's run view links the
 * child run (one click away); the child says "started by run X, step Y" and shows the approval with its form;
 * approving there resumes the child, then the parent. Saves docs/screenshots/composition-*.png.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { WorkflowInputRaw } from '@outrun/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(20_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const flow = (name: string, nodes: Array<Record<string, unknown>>, edges: Array<[string, string, string?]>): WorkflowInputRaw => ({
  name,
  triggers: [{ id: `t-${name}`, type: 'manual' }],
  nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: `t-${name}` } }, ...nodes.map((n, i) => ({ position: { x: 280 * (i + 1), y: 0 }, data: {}, ...n }) as never)],
  edges: edges.map(([source, target, sourceHandle], i) => ({ id: `e${i}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) })),
});

describe('composition in the run view', () => {
  it('links parent and child runs and approves from the run view with a form', async () => {
    const { api, workspaceId: ws } = stack;
    const child = await api.createWorkflow(ws, flow('refund-child', [
      { id: 'manager', type: 'approval', data: { title: 'Refund order 1042?', instructions: 'Customer says the parcel arrived damaged.', form: { type: 'object', required: ['amount'], properties: { amount: { type: 'number', title: 'Refund amount', maximum: 200 }, reason: { type: 'string', enum: ['damaged', 'late', 'other'] } } } } },
      { id: 'refund', type: 'set', data: { fields: [{ name: 'refunded', value: '{{ steps.manager.answer.amount }}' }] } },
    ], [['start', 'manager'], ['manager', 'refund', 'approved']]));
    const parent = await api.createWorkflow(ws, flow('refund-parent', [
      { id: 'run-refund', type: 'workflow', data: { workflowId: child.id, input: { order: 1042 } } },
    ], [['start', 'run-refund']]));
    const { runId } = await api.runWorkflow(ws, parent.id, { payload: { order: 1042 } });
    await expect.poll(async () => (await api.getRun(ws, runId)).waitingFor ?? '', { timeout: 20_000 }).toMatch(/^child:/);
    const childRunId = (await api.getRun(ws, runId)).waitingFor!.slice('child:'.length);
    await expect.poll(async () => (await api.getRun(ws, childRunId)).waitingFor ?? '', { timeout: 20_000 }).toBe('approval:manager');

    // Parent: the child run is one click away.
    await page.goto(`${stack.webUrl}/runs/${encodeURIComponent(runId)}`);
    const links = page.getByTestId('child-runs');
    await links.getByRole('link', { name: childRunId }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'composition-parent.png'), fullPage: true });
    await links.getByRole('link', { name: childRunId }).click();

    // Child: started by the parent's step; the approval with its form.
    await page.getByTestId('started-by').waitFor();
    expect(await page.getByTestId('started-by').textContent()).toContain(`Started by run ${runId}, step run-refund`);
    const panel = page.getByTestId('approval-panel');
    await panel.getByRole('heading', { name: 'Refund order 1042?' }).waitFor();
    await panel.getByLabel('Refund amount *').fill('500');
    await panel.getByLabel('reason').selectOption({ label: 'damaged' });
    await panel.getByRole('button', { name: 'Approve' }).click();
    // The API checks the answer against the form: too much.
    await panel.locator('.inline-error').waitFor();
    expect(await panel.locator('.inline-error').textContent()).toContain('does not match the approval form');
    await panel.getByLabel('Refund amount *').fill('80');
    await page.screenshot({ path: join(SCREENSHOTS, 'composition-approval.png'), fullPage: true });
    await panel.getByRole('button', { name: 'Approve' }).click();

    await expect.poll(async () => (await api.getRun(ws, childRunId)).status, { timeout: 20_000 }).toBe('completed');
    await expect.poll(async () => (await api.getRun(ws, runId)).status, { timeout: 20_000 }).toBe('completed');
    const done = await api.getRun(ws, runId);
    expect(done.steps.find((s) => s.nodeId === 'run-refund')?.output).toMatchObject({ refunded: 80 });
    const childDone = await api.getRun(ws, childRunId);
    expect(childDone.steps.find((s) => s.nodeId === 'manager')?.output).toMatchObject({ decision: 'approve', via: 'run-view', answer: { amount: 80, reason: 'damaged' } });
    await page.locator('.page-head .badge-completed').waitFor();
    expect(await page.getByTestId('approval-panel').count()).toBe(0);
  }, 180_000);
});
