/**
 * In a real browser: an AI step's text grows in the run view while the model streams (SSE from the local
 * OpenAI-compatible server, relayed by the runner as coalesced `output` events), and the recorded step output is
 * the streamed text. An unpriced model's hint links to the AI prices settings, where the price is added.
 * Saves docs/screenshots/ai-live-output.png and docs/screenshots/ai-prices.png.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { launchChromium, SCREENSHOTS } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let openai: OpenAiServer;
let browser: Browser;
let page: Page;

const ANSWER =
  'Lead assessment for John Doe (Acme Corp): Acme is a 5,000-person manufacturer that asked for a 500-seat quote with a decision this quarter. ' +
  'Budget is confirmed and John is the buyer. Classification: hot lead. Next step: sales calls John today and sends the enterprise pricing sheet.';

beforeAll(async () => {
  // ~150 deltas, 100 ms apart: the answer streams for ~15 s, long enough to open the page and watch it grow.
  openai = await startOpenAiServer({ streamChunks: 150, streamDelayMs: 100 });
  stack = await startStack({ runnerServices: { ai: { baseURL: openai.url, apiKey: 'sk-e2e' } } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await openai?.close();
});

let triggers = 0;
async function agentRun(model?: string): Promise<string> {
  const { api, workspaceId } = stack;
  const triggerId = `go${++triggers}`;
  const workflow = await api.createWorkflow(workspaceId, {
    name: `lead assessment ${triggers}`,
    triggers: [{ id: triggerId, type: 'manual' }],
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
      { id: 'assess', type: 'ai-agent', position: { x: 240, y: 0 }, data: { instructions: 'Assess the sales lead.', input: 'John Doe from Acme Corp', ...(model ? { model } : {}) } },
    ],
    edges: [{ id: 'e', source: 'trigger', target: 'assess' }],
  });
  await api.activateWorkflow(workspaceId, workflow.id);
  return (await api.runWorkflow(workspaceId, workflow.id, { payload: {} })).runId;
}

describe('AI steps in the run view', () => {
  it('shows the output text growing while the step streams; the recorded output is the streamed text', async () => {
    openai.script([reply.text(ANSWER, { inputTokens: 200, outputTokens: 60 })]);
    const runId = await agentRun();
    await page.goto(`${stack.webUrl}/runs/${encodeURIComponent(runId)}`);
    const text = page.getByTestId('live-output-text');
    await expect.poll(async () => ((await text.count()) > 0 ? ((await text.textContent()) ?? '').length : 0), { timeout: 20_000 }).toBeGreaterThan(40);
    // A page that joined mid-stream shows "…" and the text from there on.
    const shown = async () => ((await text.textContent()) ?? '').replace('▍', '').replace(/^…/, '');
    const early = await shown();
    expect(ANSWER.includes(early)).toBe(true);
    await expect.poll(async () => (await shown()).length, { timeout: 10_000 }).toBeGreaterThan(early.length + 20);
    await page.screenshot({ path: join(SCREENSHOTS, 'ai-live-output.png'), fullPage: true });
    expect(early.length).toBeLessThan(ANSWER.length);

    // Finished: the live panel goes, the recorded step shows the same text.
    await page.locator('.page-head .badge-completed').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('live-output').count()).toBe(0);
    const run = await stack.api.getRun(stack.workspaceId, runId);
    expect((run.steps.find((s) => s.nodeId === 'assess')?.output as { output: string }).output).toBe(ANSWER);
  }, 120_000);

  it("an unpriced model's hint leads to the AI prices settings, where the price is added", async () => {
    openai.script([reply.text('ok', { inputTokens: 10, outputTokens: 2 })]);
    const runId = await agentRun('acme-llm-7b');
    await expect.poll(async () => (await stack.api.getRun(stack.workspaceId, runId)).status, { timeout: 20_000 }).toBe('completed');
    await page.goto(`${stack.webUrl}/runs/${encodeURIComponent(runId)}?step=assess%231`);
    await page.locator('[data-step="assess"]').click();
    const hint = page.getByTestId('unpriced-hint');
    expect(await hint.textContent()).toContain('acme-llm-7b');
    await hint.click();
    await page.getByRole('tab', { name: 'AI prices' }).waitFor();
    await expect.poll(() => page.getByLabel('Model', { exact: true }).inputValue()).toBe('acme-llm-7b');
    await page.getByLabel('Input price', { exact: true }).fill('0.2');
    await page.getByLabel('Output price').fill('0.8');
    await page.getByLabel('Note').fill('self-hosted, contract #7');
    await page.getByRole('button', { name: 'Save price' }).click();
    await expect.poll(() => page.getByTestId('price-overrides').textContent()).toContain('acme-llm-7b');
    expect((await stack.api.listPriceOverrides(stack.workspaceId)).items).toMatchObject([{ model: 'acme-llm-7b', input: 0.2, output: 0.8, note: 'self-hosted, contract #7' }]);
    expect(await page.getByTestId('trace-content').isChecked()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'ai-prices.png'), fullPage: true });

    // The roll-ups count the unpriced call and its tokens apart from the cost, in the API and on the dashboard.
    const stats = await stack.api.getWorkspaceStats(stack.workspaceId, { days: 7 });
    expect(stats).toMatchObject({ unpricedCalls: 1, unpricedTokens: 12 });
    await page.goto(`${stack.webUrl}/dashboard?days=7`);
    await expect.poll(() => page.getByTestId('kpi-unpriced').textContent()).toContain('1 unpriced call(s), 12 tokens');
  }, 120_000);

  it("the editor's model field offers the catalogue models of the credential's provider", async () => {
    const { api, workspaceId } = stack;
    const cred = await api.createCredential(workspaceId, { name: 'mistral', type: 'openai', data: { apiKey: 'k', baseURL: 'https://api.mistral.ai/v1' }, allowedHosts: ['https://api.mistral.ai'] });
    const wf = await api.createWorkflow(workspaceId, {
      name: 'model list',
      triggers: [{ id: 'go-models', type: 'manual' }],
      nodes: [
        { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'go-models' } },
        { id: 'assess', type: 'ai-agent', position: { x: 260, y: 0 }, data: { instructions: 'Assess.', credentialId: cred.id } },
      ],
      edges: [{ id: 'e', source: 'trigger', target: 'assess' }],
    });
    await page.goto(`${stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await page.locator('.react-flow__node[data-id="assess"] .wf-node-title').click();
    const options = () => page.locator('#f-model-suggestions option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    await expect.poll(async () => (await options()).some((m) => m.includes('mistral')), { timeout: 15_000 }).toBe(true);
    expect(await options()).not.toContain('gpt-5.4-mini');
    // Without a credential: the workspace default (OpenAI-compatible), so OpenAI's current models.
    await page.locator('[name="credentialId"]').selectOption('');
    await expect.poll(async () => (await options()).includes('gpt-5.4-mini')).toBe(true);
  }, 120_000);
});
