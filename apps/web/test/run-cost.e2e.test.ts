/**
 * In a real browser: the seed's lead-classification workflow runs on gpt-5.4-mini (local OpenAI-compatible server)
 * and the run view shows the step's exact cost with the price source that priced it, the run's total, and the
 * trace link built from OUTRUN_TRACE_URL_TEMPLATE. Saves docs/screenshots/run-cost.png.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadClassification } from '@outrun/templates';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { launchChromium, SCREENSHOTS } from './browser';
import { startStack, type Stack } from './stack';

const TRACE_TEMPLATE = 'http://127.0.0.1:16686/search?service=outrun-runner&tags=%7B%22outrun.run.id%22%3A%22{runId}%22%7D';

let stack: Stack;
let openai: OpenAiServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  openai = await startOpenAiServer();
  stack = await startStack({ runnerServices: { ai: { baseURL: openai.url, apiKey: 'sk-e2e' } }, webEnv: { OUTRUN_TRACE_URL_TEMPLATE: TRACE_TEMPLATE } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await openai?.close();
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
});
