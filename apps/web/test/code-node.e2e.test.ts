/**
 * The `code` node in a real browser (issue 16): TypeScript typed into the code field is highlighted, a syntax
 * error shows inline (line and column of the user's code) before anything runs, the fixed code is autosaved,
 * Run now runs it in the runner's sandbox and the run shows its output. Screenshot: docs/screenshots/code-node.png.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';

const ui = useBrowserStack({ viewport: { width: 1280, height: 860 } });

const BROKEN = 'type Line = { sku: string; qty: number; price: number };\nconst lines: Line[] = trigger.lines;\nconst total = helpers.sum(lines.map((l) => l.qty * l.price) +;\nreturn { total };';
const FIXED = [
  '// Order totals: TypeScript, run in the sandbox',
  'type Line = { sku: string; qty: number; price: number };',
  'const lines: Line[] = trigger.lines;',
  'console.log("lines", lines.length);',
  'const bySku = helpers.groupBy(lines, "sku");',
  'return {',
  '  total: helpers.sum(lines.map((l) => l.qty * l.price)),',
  '  skus: Object.keys(bySku).sort(),',
  '};',
].join('\n');

describe('code node in the editor', () => {
  it('shows a syntax error inline before running, then runs the fixed code and shows its output', async () => {
    const triggerId = `trg_code_${Date.now()}`;
    const wf = await ui.stack.api.createWorkflow(ui.stack.workspaceId, {
      name: 'Order totals (code)',
      triggers: [{ id: triggerId, type: 'manual' }],
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
        { id: 'calc', type: 'code', label: 'Order totals', position: { x: 280, y: 0 }, data: { language: 'typescript', code: 'return 1;' } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'calc' }],
    });
    await ui.page.goto(`${ui.stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await ui.page.locator('.react-flow__node[data-id="calc"] .wf-node-title').click();
    const field = ui.page.getByTestId('code-field');
    await field.waitFor();
    expect(await field.getAttribute('data-language')).toBe('typescript');
    const code = ui.page.locator('textarea[name="code"]');

    await code.fill(BROKEN);
    const problem = ui.page.getByTestId('code-syntax-error');
    await problem.getByText(/Syntax error, line 3:\d+/).waitFor();
    expect(await field.locator('[data-error-line]').textContent()).toBe('3');
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'code-node-syntax-error.png') });

    await code.fill(FIXED);
    await expect.poll(() => problem.count()).toBe(0);
    // Highlighted: keywords, strings and the node's names are coloured spans of the same text.
    expect(await field.locator('pre span', { hasText: /^return$/ }).count()).toBeGreaterThan(0);
    expect(await field.locator('pre').textContent()).toBe(`${FIXED}\n`);
    await ui.page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'code-node.png') });

    // Run now runs the published version: publish the edit first.
    await ui.page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = ui.page.getByRole('dialog', { name: /Publish version/ });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await ui.stack.api.getWorkflow(ui.stack.workspaceId, wf.id)).nodes.find((n) => n.id === 'calc')?.data['code']).toBe(FIXED);

    await ui.page.getByRole('button', { name: 'Run now' }).click();
    await ui.page.locator('textarea[name="payload"]').fill(JSON.stringify({ lines: [{ sku: 'b', qty: 2, price: 5 }, { sku: 'a', qty: 1, price: 32 }] }));
    await ui.page.getByRole('button', { name: 'Start run' }).click();
    await ui.page.waitForURL(/\/runs\/[^/?]+$/);
    await ui.page.locator('.page-head .badge-completed').waitFor();
    await ui.page.locator('[data-step="calc"]').click();
    const detail = ui.page.getByTestId('step-detail');
    await expect.poll(async () => (await detail.locator('.json-view').allTextContents()).join(' ')).toMatch(/total: 42/);
    expect((await detail.locator('.json-view').allTextContents()).join(' ')).toMatch(/skus: \[2\]/);
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'code-node-run.png'), fullPage: true });
    const run = await ui.stack.api.getRun(ui.stack.workspaceId, decodeURIComponent(new URL(ui.page.url()).pathname.split('/').pop() ?? ''));
    expect(run.steps.find((s) => s.nodeId === 'calc')?.output).toEqual({ total: 42, skus: ['a', 'b'] });
  }, 120_000);
});
