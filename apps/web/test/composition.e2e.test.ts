/**
 * In a real browser: a parent run waits for a child that waits for an approval. The parent's run view links the
 * child run (one click away); the child says "started by run X, step Y" and shows the approval with its form;
 * approving there resumes the child, then the parent. Saves docs/screenshots/composition-*.png.
 * And the `workflow` node's input form: picking the called workflow shows a field per property of its
 * `settings.inputSchema`; the values are saved and published, and the child run receives them.
 */
import { join } from 'node:path';
import type { WorkflowInputRaw } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';

const ui = useBrowserStack({ viewport: { width: 1280, height: 1000 }, acceptDialogs: false });

const flow = (name: string, nodes: Array<Record<string, unknown>>, edges: Array<[string, string, string?]>): WorkflowInputRaw => ({
  name,
  triggers: [{ id: `t-${name}`, type: 'manual' }],
  nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: `t-${name}` } }, ...nodes.map((n, i) => ({ position: { x: 280 * (i + 1), y: 0 }, data: {}, ...n }) as never)],
  edges: edges.map(([source, target, sourceHandle], i) => ({ id: `e${i}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) })),
});

describe('composition in the run view', () => {
  it('links parent and child runs and approves from the run view with a form', async () => {
    const { api, workspaceId: ws } = ui.stack;
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
    await ui.page.goto(`${ui.stack.webUrl}/runs/${encodeURIComponent(runId)}`);
    const links = ui.page.getByTestId('child-runs');
    await links.getByRole('link', { name: childRunId }).waitFor();
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'composition-parent.png'), fullPage: true });
    await links.getByRole('link', { name: childRunId }).click();

    // Child: started by the parent's step; the approval with its form.
    await ui.page.getByTestId('started-by').waitFor();
    expect(await ui.page.getByTestId('started-by').textContent()).toContain(`Started by run ${runId}, step run-refund`);
    const panel = ui.page.getByTestId('approval-panel');
    await panel.getByRole('heading', { name: 'Refund order 1042?' }).waitFor();
    await panel.getByLabel('Refund amount *').fill('500');
    await panel.getByLabel('reason').selectOption({ label: 'damaged' });
    await panel.getByRole('button', { name: 'Approve' }).click();
    // The API checks the answer against the form: too much.
    await panel.locator('.inline-error').waitFor();
    expect(await panel.locator('.inline-error').textContent()).toContain('does not match the approval form');
    await panel.getByLabel('Refund amount *').fill('80');
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'composition-approval.png'), fullPage: true });
    await panel.getByRole('button', { name: 'Approve' }).click();

    await expect.poll(async () => (await api.getRun(ws, childRunId)).status, { timeout: 20_000 }).toBe('completed');
    await expect.poll(async () => (await api.getRun(ws, runId)).status, { timeout: 20_000 }).toBe('completed');
    const done = await api.getRun(ws, runId);
    expect(done.steps.find((s) => s.nodeId === 'run-refund')?.output).toMatchObject({ refunded: 80 });
    const childDone = await api.getRun(ws, childRunId);
    expect(childDone.steps.find((s) => s.nodeId === 'manager')?.output).toMatchObject({ decision: 'approve', via: 'run-view', answer: { amount: 80, reason: 'damaged' } });
    await ui.page.locator('.page-head .badge-completed').waitFor();
    expect(await ui.page.getByTestId('approval-panel').count()).toBe(0);
    // The decider is shown with the step (the stack signs the local owner in, so the person is recorded).
    await ui.page.locator('[data-step="manager"]').click();
    await ui.page.getByTestId('approval-decider').waitFor();
    expect(await ui.page.getByTestId('approval-decider').textContent()).toMatch(/^Approved by local-owner@outrun\.localhost · via run-view ·/);
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'composition-approval-decided.png'), fullPage: true });
  }, 180_000);

  it('builds the workflow node input form from the called workflow input schema', async () => {
    const { api, workspaceId: ws } = ui.stack;
    const child = await api.createWorkflow(ws, {
      ...flow('invoice-child', [{ id: 'echo', type: 'set', data: { fields: [{ name: 'got', value: '{{ trigger.customer }}' }, { name: 'amount', value: '{{ trigger.amount }}' }] } }], [['start', 'echo']]),
      settings: { inputSchema: { type: 'object', required: ['customer'], properties: { customer: { type: 'string', title: 'Customer' }, amount: { type: 'number', title: 'Amount' } } } },
    });
    const parent = await api.createWorkflow(ws, flow('invoice-parent', [{ id: 'call', type: 'workflow', label: 'Send invoice', data: {} }], [['start', 'call']]));
    await ui.page.goto(`${ui.stack.webUrl}/workflows/${encodeURIComponent(parent.id)}`);
    await ui.page.locator('.react-flow__node[data-id="call"] .wf-node-title').click();
    const picker = ui.page.locator('select[name="workflowId"]');
    await picker.locator('option', { hasText: 'invoice-child' }).waitFor({ state: 'attached' });
    // No input schema yet: `input` is free JSON.
    expect(await ui.page.locator('input[name="input.customer"]').count()).toBe(0);
    await picker.selectOption({ label: 'invoice-child' });
    // The child's schema becomes the form: one field per declared property, with its title.
    const customer = ui.page.locator('input[name="input.customer"]');
    await customer.waitFor().catch(async (e: unknown) => {
      await ui.page.screenshot({ path: join(SCREENSHOTS, 'composition-call-form.png') });
      throw e;
    });
    expect(await ui.page.locator('label[for="f-input.customer"]').textContent()).toContain('Customer');
    await customer.fill('ACME Ltd');
    await ui.page.locator('input[name="input.amount"]').fill('125');
    await ui.page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'composition-call-form.png') });

    await ui.page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = ui.page.getByRole('dialog', { name: /Publish version/ });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = (await api.getWorkflow(ws, parent.id)).nodes.find((n) => n.id === 'call')?.data;
    expect(saved).toMatchObject({ workflowId: child.id, input: { customer: 'ACME Ltd', amount: 125 } });

    const { runId } = await api.runWorkflow(ws, parent.id, { payload: {} });
    await expect.poll(async () => (await api.getRun(ws, runId)).status, { timeout: 20_000 }).toBe('completed');
    const done = await api.getRun(ws, runId);
    expect(done.steps.find((s) => s.nodeId === 'call')?.output).toMatchObject({ got: 'ACME Ltd', amount: 125 });
  }, 180_000);

  it('says what an event-waiting run waits for, and the run view follows it to the end when the event arrives', async () => {
    const { api, workspaceId: ws } = ui.stack;
    const wf = await api.createWorkflow(ws, flow('await-payment', [
      { id: 'paid', type: 'wait-for-event', data: { event: 'order.paid', key: '{{ trigger.orderId }}', timeoutMs: 3_600_000 } },
      { id: 'ship', type: 'set', data: { fields: [{ name: 'shipped', value: '{{ steps.paid.payload.amount }}' }] } },
    ], [['start', 'paid'], ['paid', 'ship', 'received']]));
    const { runId } = await api.runWorkflow(ws, wf.id, { payload: { orderId: 'A-17' } });
    await expect.poll(async () => (await api.getRun(ws, runId)).waitingFor ?? '', { timeout: 20_000 }).toMatch(/^event:/);

    await ui.page.goto(`${ui.stack.webUrl}/runs/${encodeURIComponent(runId)}`);
    const waiting = ui.page.getByTestId('waiting-event');
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('waits for the event order.paid with key A-17');
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'composition-waiting-event.png'), fullPage: true });

    // Another key resumes nothing; the matching one resumes the run, and the open page follows it live.
    expect(await api.postEvent(ws, { name: 'order.paid', key: 'B-99', payload: { amount: 1 } })).toMatchObject({ resumed: 0 });
    expect(await api.postEvent(ws, { name: 'order.paid', key: 'A-17', payload: { amount: 125 } })).toMatchObject({ resumed: 1, runIds: [runId] });
    await ui.page.locator('.page-head .badge-completed').waitFor({ timeout: 20_000 });
    expect(await ui.page.getByTestId('waiting-event').count()).toBe(0);
    expect((await api.getRun(ws, runId)).steps.find((s) => s.nodeId === 'ship')?.output).toMatchObject({ shipped: 125 });
  }, 120_000);
});
