/**
 * Workspace AI settings through the gateway, with the real runner and the local OpenAI-compatible server:
 * price overrides (routes, validation, tenancy) price the next steps with source `override:workspace` and the
 * override's version; deleting one falls back to the catalogue; content tracing is a per-workspace switch; the
 * editor's model list follows the provider of a credential; a run's SSE stream carries the live AI output.
 */
import type { OutrunApiError, SseMessage, WorkflowApi } from '@outrun/client';
import { CATALOGUE_VERSION } from '@outrun/nodes';
import { isTerminalRunStatus, type Run } from '@outrun/schemas';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { createTempStack, type Stack } from '@outrun/testing/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;
/** The test workspace: its id and a client with its key. */
let h: { ws: string; api: WorkflowApi };
let openai: OpenAiServer;

beforeAll(async () => {
  openai = await startOpenAiServer({ streamChunks: 20, streamDelayMs: 10 });
  // The embedded stack (the services' composition roots): the runner's AI defaults come from its environment.
  stack = await createTempStack({ env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test', OPENAI_API_MODE: 'chat_completions' } });
  h = await stack.newWorkspace('ai settings');
});
afterAll(async () => {
  await stack?.close();
  await openai?.close();
});

const apiError = (p: Promise<unknown>) => p.then(() => { throw new Error('expected failure'); }, (err: unknown) => err as OutrunApiError);

let workflows = 0;
async function agentWorkflow(): Promise<string> {
  const trigger = `go${++workflows}`;
  const wf = await h.api.createWorkflow(h.ws, {
    name: 'priced agent',
    triggers: [{ id: trigger, type: 'manual' }],
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: trigger } },
      { id: 'agent', type: 'ai-agent', position: { x: 200, y: 0 }, data: { instructions: 'Summarise the lead.', input: 'John Doe from Acme Corp' } },
    ],
    edges: [{ id: 'e', source: 'trigger', target: 'agent' }],
  });
  await h.api.activateWorkflow(h.ws, wf.id);
  return wf.id;
}

async function runToEnd(workflowId: string, onEvent?: (m: SseMessage) => void): Promise<Run> {
  const accepted = await h.api.runWorkflow(h.ws, workflowId, { payload: {} });
  const controller = new AbortController();
  const streaming = onEvent ? h.api.streamRunEvents(h.ws, accepted.runId, { signal: controller.signal, onEvent }) : Promise.resolve();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await h.api.getRun(h.ws, accepted.runId);
    if (isTerminalRunStatus(run.status)) {
      await Promise.race([streaming, new Promise((r) => setTimeout(r, 2_000))]);
      controller.abort();
      return run;
    }
    if (Date.now() > deadline) throw new Error('run did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('workspace price overrides', () => {
  it('puts, lists, validates and deletes overrides; other workspaces see none', async () => {
    const put = await h.api.putPriceOverride(h.ws, 'llama3.1:8b', { input: 0, output: 0, note: 'self-hosted' });
    expect(put).toMatchObject({ model: 'llama3.1:8b', input: 0, output: 0, note: 'self-hosted' });
    await h.api.putPriceOverride(h.ws, 'openai/gpt-5', { input: 1, cachedInput: 0.1, output: 8 });
    const listed = await h.api.listPriceOverrides(h.ws);
    expect(listed.items.map((o) => o.model)).toEqual(['llama3.1:8b', 'openai/gpt-5']);
    expect(listed.catalogue).toEqual({ source: '@pydantic/genai-prices', version: CATALOGUE_VERSION });

    const negative = await apiError(h.api.putPriceOverride(h.ws, 'gpt-x', { input: -1, output: 1 }));
    expect([negative.status, negative.code, negative.details[0]?.path]).toEqual([400, 'OUT_ERR_VALIDATION', 'body.input']);
    const extra = await apiError(h.api.putPriceOverride(h.ws, 'gpt-x', { input: 1, output: 1, currency: 'EUR' } as never));
    expect(extra.status).toBe(400);

    const other = await stack.newWorkspace('other');
    expect((await other.api.listPriceOverrides(other.ws)).items).toEqual([]);
    expect((await apiError(other.api.deletePriceOverride(other.ws, 'openai/gpt-5'))).status).toBe(404);
    expect((await apiError(other.api.listPriceOverrides(h.ws))).status).toBe(404);

    await h.api.deletePriceOverride(h.ws, 'openai/gpt-5');
    await h.api.deletePriceOverride(h.ws, 'llama3.1:8b');

    // At most 500 per workspace (each run attempt reads them all); replacing one is always allowed.
    for (let i = 0; i < 500; i++) await stack.store.aiSettings.putPriceOverride(other.ws, `m-${i}`, { input: 1, output: 1 });
    const full = await apiError(other.api.putPriceOverride(other.ws, 'one-more', { input: 1, output: 1 }));
    expect([full.status, full.code, full.details[0]?.path]).toEqual([409, 'OUT_ERR_QUOTA_PRICE_OVERRIDES', 'quota.priceOverrides']);
    expect(await other.api.putPriceOverride(other.ws, 'm-7', { input: 2, output: 2 })).toMatchObject({ model: 'm-7', input: 2 });
    expect((await apiError(h.api.deletePriceOverride(h.ws, 'llama3.1:8b'))).status).toBe(404);
    expect((await h.api.listPriceOverrides(h.ws)).items).toEqual([]);
  });

  it('prices the next AI step from the workspace override (source and version recorded), the catalogue again once deleted', async () => {
    const workflowId = await agentWorkflow();
    const override = await h.api.putPriceOverride(h.ws, 'gpt-5.4-mini', { input: 2, cachedInput: 1, output: 10 });
    openai.script([reply.text('Hot lead.', { inputTokens: 1000, outputTokens: 100, cachedTokens: 400 })]);
    // Past the runner's one-second cache of workspace settings.
    await new Promise((r) => setTimeout(r, 1_100));
    const priced = await runToEnd(workflowId);
    const step = priced.steps.find((s) => s.nodeId === 'agent');
    // 600 × $2 + 400 × $1 + 100 × $10 per 1M tokens = $0.0026.
    expect(step?.usage).toMatchObject({ cost: 0.0026, priceSource: 'override:workspace', priceVersion: override.updatedAt });
    expect(priced.usage.estimatedCost).toBe(0.0026);

    await h.api.deletePriceOverride(h.ws, 'gpt-5.4-mini');
    await new Promise((r) => setTimeout(r, 1_100));
    openai.script([reply.text('Hot lead.', { inputTokens: 1000, outputTokens: 100, cachedTokens: 400 })]);
    const catalogue = await runToEnd(workflowId);
    expect(catalogue.steps.find((s) => s.nodeId === 'agent')?.usage).toMatchObject({ priceSource: '@pydantic/genai-prices', priceVersion: CATALOGUE_VERSION });
  });
});

describe('content tracing and catalogue models', () => {
  it('content tracing is off by default and a per-workspace switch', async () => {
    expect(await h.api.getAiSettings(h.ws)).toEqual({ traceContent: false });
    expect(await h.api.setAiSettings(h.ws, { traceContent: true })).toEqual({ traceContent: true });
    expect(await h.api.getAiSettings(h.ws)).toEqual({ traceContent: true });
    const other = await stack.newWorkspace('other 2');
    expect(await other.api.getAiSettings(other.ws)).toEqual({ traceContent: false });
    expect((await apiError(h.api.setAiSettings(h.ws, { traceContent: 'yes' } as never))).details[0]?.path).toBe('body.traceContent');
    await h.api.setAiSettings(h.ws, { traceContent: false });
  });

  it("offers the catalogue's models of the provider, or of the provider a credential points at", async () => {
    const openaiModels = await h.api.listAiModels(h.ws);
    expect(openaiModels.provider).toBe('openai');
    expect(openaiModels.models).toContain('gpt-5.4-mini');
    expect(openaiModels.providers.map((p) => p.id)).toEqual(expect.arrayContaining(['openai', 'mistral', 'groq']));
    const cred = await h.api.createCredential(h.ws, { name: 'mistral', type: 'openai', data: { apiKey: 'k', baseURL: 'https://api.mistral.ai/v1' }, allowedHosts: ['https://api.mistral.ai'] });
    const mistral = await h.api.listAiModels(h.ws, { credentialId: cred.id });
    expect(mistral.provider).toBe('mistral');
    expect(mistral.models.length).toBeGreaterThan(0);
    expect(mistral.models).not.toContain('gpt-5.4-mini');
    expect(JSON.stringify(mistral)).not.toContain('"k"');
    expect((await apiError(h.api.listAiModels(h.ws, { credentialId: 'missing' }))).status).toBe(404);
  });
});

describe('live AI output over the run SSE stream', () => {
  it('sends output events while the step runs; their text concatenated is the recorded output', async () => {
    const workflowId = await agentWorkflow();
    const answer = 'John Doe from Acme Corp asked for pricing for 500 seats: a hot lead, call today.';
    openai.script([reply.text(answer)]);
    const messages: SseMessage[] = [];
    const run = await runToEnd(workflowId, (m) => messages.push(m));
    const outputs = messages.filter((m) => m.event === 'output').map((m) => m.data as { text: string; seq: number; nodeId: string });
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.map((o) => o.seq)).toEqual(outputs.map((_, i) => i));
    expect(outputs.map((o) => o.text).join('')).toBe(answer);
    expect((run.steps.find((s) => s.nodeId === 'agent')?.output as { output: string }).output).toBe(answer);
    // The run view can link to the run's trace only when tracing was on: here it was off.
    expect(run.traceId).toBeUndefined();
  });
});
