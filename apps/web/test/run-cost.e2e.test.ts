/**
 * In a real browser: the seed's lead-classification workflow runs on gpt-5.4-mini (local OpenAI-compatible server)
 * and the run view shows the step's exact cost with the price source that priced it, the run's total, and the
 * trace link built from OUTRUN_TRACE_URL_TEMPLATE. Saves docs/screenshots/run-cost.png.
 * A parent whose `workflow` step ran an AI child shows the child's tokens and cost in its own total, says how much
 * came from child runs, and the step shows the child runs' usage. Saves docs/screenshots/composition-child-cost.png.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadClassification } from '@outrun/templates';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';
import type { Stack } from './stack';

const TRACE_TEMPLATE = 'http://127.0.0.1:16686/search?service=outrun-runner&tags=%7B%22outrun.run.id%22%3A%22{runId}%22%7D';

let openai: OpenAiServer;
// The fake model server first: the stack's runner is pointed at it.
beforeAll(async () => {
  openai = await startOpenAiServer();
});
afterAll(async () => {
  await openai?.close();
});
const ui = useBrowserStack({
  viewport: { width: 1280, height: 900 },
  acceptDialogs: false,
  stack: () => ({ runnerServices: { ai: { baseURL: openai.url, apiKey: 'sk-e2e' } }, webEnv: { OUTRUN_TRACE_URL_TEMPLATE: TRACE_TEMPLATE } }),
});
let stack: Stack;
let page: Page;
beforeAll(() => {
  ({ stack, page } = ui);
});

function sign(secret: string, id: string, ts: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
}

describe('run view: cost with its price source, trace link', () => {
  it('shows the AI step cost priced by the bundled catalogue, the run total and the trace link', async () => {
    const { api, workspaceId } = stack;
    const template = leadClassification.workflow;
    const nodes = template.nodes.map((n) => (n.id === 'notify-sales' ? { ...n, data: { ...n.data, url: `${stack.sink.url}/sales` } } : n));
    const workflow = await api.createWorkflow(workspaceId, { ...template, nodes });
    const triggerId = workflow.triggers[0]!.id;
    const { secret } = await api.rotateTriggerSecret(workspaceId, workflow.id, triggerId);
    await api.activateWorkflow(workspaceId, workflow.id);
    openai.script([reply.json({ classification: 'hot_lead', confidence: 0.92 }, { inputTokens: 120, outputTokens: 30, cachedTokens: 100 })]);

    const body = JSON.stringify({ name: 'John Doe', company: 'Acme Corp' });
    const send = () => {
      const id = `msg_${randomUUID()}`;
      const ts = Math.floor(Date.now() / 1000);
      return fetch(`${stack.apiUrl}/webhook/${workspaceId}/${triggerId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': sign(secret, id, ts, body) }, body });
    };
    let answer = await send();
    for (let i = 0; answer.status === 404 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await send();
    }
    expect(answer.status).toBe(202);
    const { runId } = (await answer.json()) as { runId: string };
    await expect.poll(async () => (await api.getRun(workspaceId, runId)).status, { timeout: 20_000 }).toBe('completed');

    await page.goto(`${stack.webUrl}/runs/${encodeURIComponent(runId)}`);
    await page.locator('.page-head .badge-completed').waitFor();
    // gpt-5.4-mini: 20 × $0.75 + 100 cached × $0.075 + 30 × $4.50 per 1M = $0.0001575.
    await expect.poll(() => page.locator('.kpi').filter({ hasText: 'AI tokens' }).textContent()).toContain('$0.00016');
    await page.locator('[data-step="classify"]').click();
    const detail = page.getByTestId('step-detail');
    await expect.poll(() => detail.getByTestId('step-cost').textContent()).toBe('$0.0001575');
    expect(await detail.getByTestId('price-source').textContent()).toMatch(/priced by @pydantic\/genai-prices \d+\.\d+\.\d+/);
    expect(await page.getByTestId('trace-link').getAttribute('href')).toBe(TRACE_TEMPLATE.replace('{runId}', runId));
    await page.screenshot({ path: join(SCREENSHOTS, 'run-cost.png'), fullPage: true });
  }, 120_000);

  it("includes the child runs' tokens and cost in the parent's run view", async () => {
    const { api, workspaceId: ws } = stack;
    const flow = (name: string, node: Record<string, unknown>) => ({
      name,
      triggers: [{ id: `t-${name}`, type: 'manual' as const }],
      nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: `t-${name}` } }, { position: { x: 280, y: 0 }, ...node } as never],
      edges: [{ id: 'e1', source: 'start', target: String(node['id']) }],
    });
    const child = await api.createWorkflow(ws, flow('summarise-child', { id: 'agent', type: 'ai-agent', data: { instructions: 'Summarise the ticket', model: 'gpt-5.4-mini' } }));
    const parent = await api.createWorkflow(ws, flow('ticket-parent', { id: 'call', type: 'workflow', data: { workflowId: child.id } }));
    openai.script([reply.text('A short summary.', { inputTokens: 100, outputTokens: 20 })]);
    const { runId } = await api.runWorkflow(ws, parent.id, { payload: {} });
    await expect.poll(async () => (await api.getRun(ws, runId)).status, { timeout: 30_000 }).toBe('completed');
    const kid = (await api.listRuns(ws, { workflowId: child.id })).items.find((r) => r.parentRunId === runId)!;
    expect(kid.usage.aiTokensUsed).toBe(120);
    expect(kid.usage.estimatedCost).toBeGreaterThan(0);
    const exact = `$${kid.usage.estimatedCost.toFixed(10).replace(/\.?0+$/, '')}`;

    await page.goto(`${stack.webUrl}/runs/${encodeURIComponent(runId)}`);
    await page.locator('.page-head .badge-completed').waitFor();
    // The parent made no AI call itself: its total is the child's.
    const card = page.locator('.kpi').filter({ hasText: 'AI tokens' });
    await expect.poll(() => card.locator('.kpi-value').textContent()).toMatch(/^120 · \$0\.000\d+/);
    expect(await card.getByTestId('run-child-usage').textContent()).toMatch(/^incl\. child runs: 120 tokens · \$0\.000\d+/);
    await page.locator('[data-step="call"]').click();
    const detail = page.getByTestId('step-detail');
    expect(await detail.getByTestId('child-step-usage').textContent()).toBe(`Child runs120 tokens · ${exact}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'composition-child-cost.png'), fullPage: true });
  }, 120_000);
});
