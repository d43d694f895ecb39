/**
 * The seed's lead classification end to end through the real runner (in-process queue, SQLite file):
 * trigger → ai-agent classifies → condition on hot_lead → http-request notify. The run's usage
 * (`aiTokensUsed`, `estimatedCost`) must be exact to the token; budgets stop runs before the next AI call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@outrun/config';
import { createRunLifecycle } from '@outrun/queue';
import { openQueue, type OpenedQueue } from '@outrun/queue/open';
import { createRunner, type Runner } from '@outrun/runner';
import { isTerminalRunStatus, WorkflowInput, type Run, type Workflow } from '@outrun/schemas';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { CATALOGUE_VERSION } from '../ai/price-catalogue';
import { createNodeCatalog } from '../catalog';
import { createHttpClient, type PooledHttpClient } from '../http/create-http-client';
import { LEAD_SCHEMA, waitUntil } from './test-support';

let server: OpenAiServer;
let sink: HttpSink;
let temp: TempSqliteStore;
let opened: OpenedQueue;
let http: PooledHttpClient;
let runner: Runner;
let workspaceId: string;

beforeEach(async () => {
  server = await startOpenAiServer();
  sink = await startHttpSink();
  temp = await createTempSqliteStore();
  workspaceId = (await temp.store.workspaces.createWorkspace({ name: 'ai e2e' })).id;
  opened = openQueue({});
  http = createHttpClient({ allowList: [`127.0.0.1:${sink.port}`] });
  runner = createRunner({
    store: temp.store, queue: opened.queue, events: opened.events, limiter: opened.limiter, catalog: createNodeCatalog(),
    logger: createLogger({ name: 'ai-e2e', level: 'silent' }), http,
    // What the runner's main should pass from OPENAI_API_KEY / OPENAI_BASE_URL.
    services: { ai: { apiKey: 'sk-e2e', baseURL: server.url } },
    options: { reconcileIntervalMs: 0 },
  });
  await runner.start();
});
afterEach(async () => {
  await runner.stop({ graceMs: 0 });
  await opened.close();
  await http.close();
  await temp.cleanup();
  await sink.close();
  await server.close();
});

const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
const classify = (id: string, extra: Record<string, unknown> = {}) =>
  node(id, 'ai-agent', { instructions: 'Classify the sales lead.', input: '{{ trigger.text }}', outputSchema: LEAD_SCHEMA, ...extra });

async function leadWorkflow(settings: Record<string, unknown> = {}, nodes = [classify('classify')]): Promise<Workflow> {
  const last = nodes.at(-1)?.id ?? 'classify';
  const input = WorkflowInput.parse({
    name: 'lead classification',
    triggers: [{ id: 'trg', type: 'manual' }],
    nodes: [
      node('trigger', 'trigger', { triggerId: 'trg' }),
      ...nodes,
      node('check', 'condition', { left: '{{ input.output.classification }}', operator: 'equals', right: 'hot_lead' }),
      node('notify', 'http-request', { method: 'POST', url: `${sink.url}/hot`, bodyType: 'json', body: { lead: '{{ trigger.text }}' } }),
    ],
    edges: [edge('trigger', nodes[0]?.id ?? 'classify'), ...nodes.slice(1).map((n, i) => edge(nodes[i]?.id ?? '', n.id)), edge(last, 'check'), edge('check', 'notify', 'true')],
    settings,
  });
  const wf = await temp.store.workflows.createWorkflow(workspaceId, input);
  await temp.store.workflows.setWorkflowStatus(workspaceId, wf.id, 'active');
  return wf;
}

async function runToEnd(wf: Workflow): Promise<Run> {
  const { run } = await createRunLifecycle({ store: { runs: temp.store.runs }, queue: opened.queue, events: opened.events }).accept(workspaceId, {
    workflowId: wf.id,
    workflowVersion: wf.version,
    triggeredBy: { type: 'manual', source: 'test', triggerId: 'trg', payload: { text: 'John Doe from Acme Corp' } },
  });
  let final: Run | null = null;
  await waitUntil(() => final !== null && isTerminalRunStatus(final.status), `run ${run.id} to finish`, 30_000, async () => {
    final = await temp.store.runs.getRun(workspaceId, run.id);
  });
  return final as unknown as Run;
}

describe('lead classification through the runner', () => {
  it('classifies John Doe from Acme Corp as hot_lead, notifies, and counts tokens and cost exactly', async () => {
    server.script([reply.json({ classification: 'hot_lead', confidence: 0.92 }, { inputTokens: 120, outputTokens: 30, cachedTokens: 100 })]);
    const run = await runToEnd(await leadWorkflow());

    expect(run.status).toBe('completed');
    const step = run.steps.find((s) => s.nodeId === 'classify');
    expect(step?.status).toBe('completed');
    expect(step?.output).toMatchObject({ output: { classification: 'hot_lead', confidence: 0.92 }, model: 'gpt-5.4-mini', toolCalls: [] });
    // gpt-5.4-mini (bundled catalogue): 20 uncached × $0.75 + 100 cached × $0.075 + 30 output × $4.50 per 1M tokens = $0.0001575.
    // The stored step says which catalogue version priced it.
    expect(step?.usage).toMatchObject({
      model: 'gpt-5.4-mini', inputTokens: 120, cachedInputTokens: 100, outputTokens: 30, totalTokens: 150, cost: 0.0001575,
      priceSource: '@pydantic/genai-prices', priceVersion: CATALOGUE_VERSION,
    });
    expect(run.usage).toEqual({ aiTokensUsed: 150, estimatedCost: 0.0001575, webhooksCalled: 1, unpricedCalls: 0 });
    expect(sink.requests).toHaveLength(1);
    expect(JSON.parse(sink.requests[0]?.body ?? '{}')).toEqual({ lead: 'John Doe from Acme Corp' });
    expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/v1/chat/completions', 'Bearer sk-e2e']]);
  });

  it('marks an unpriced model as unpriced (estimatedCost stays exact, the call is counted)', async () => {
    server.script([reply.json({ classification: 'cold_lead', confidence: 0.3 }, { inputTokens: 80, outputTokens: 20 })]);
    const run = await runToEnd(await leadWorkflow({}, [classify('classify', { model: 'llama3.1:8b' })]));
    expect(run.status).toBe('completed');
    expect(run.steps.find((s) => s.nodeId === 'classify')?.usage).toMatchObject({ totalTokens: 100, cost: null });
    expect(run.usage).toEqual({ aiTokensUsed: 100, estimatedCost: 0, webhooksCalled: 0, unpricedCalls: 1, unpricedTokens: 100 });
    expect(sink.requests).toHaveLength(0);
  });

  it('stops before the next AI call once maxCostPerRun is reached at catalogue prices', async () => {
    server.script([
      reply.json({ classification: 'hot_lead', confidence: 0.9 }, { inputTokens: 120, outputTokens: 30 }),
      reply.json({ classification: 'hot_lead', confidence: 0.9 }, { inputTokens: 120, outputTokens: 30 }),
    ]);
    // gpt-5.4-mini: 120 × $0.75 + 30 × $4.50 per 1M = $0.000225 per step: the first step spends the $0.0002 budget.
    const run = await runToEnd(await leadWorkflow({ maxCostPerRun: 0.0002 }, [classify('first'), classify('second')]));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'OUT_ERR_BUDGET_EXCEEDED', nodeId: 'second' });
    expect(server.requests).toHaveLength(1);
    expect(run.usage).toMatchObject({ aiTokensUsed: 150, estimatedCost: 0.000225, unpricedCalls: 0 });
  });

  it('stops with OUT_ERR_BUDGET_EXCEEDED before the next AI call once maxTokensPerRun is reached', async () => {
    server.script([
      reply.json({ classification: 'hot_lead', confidence: 0.9 }, { inputTokens: 120, outputTokens: 30 }),
      reply.json({ classification: 'hot_lead', confidence: 0.9 }, { inputTokens: 120, outputTokens: 30 }),
    ]);
    const run = await runToEnd(await leadWorkflow({ maxTokensPerRun: 150 }, [classify('first'), classify('second')]));
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'OUT_ERR_BUDGET_EXCEEDED', nodeId: 'second' });
    expect(server.requests).toHaveLength(1);
    expect(run.usage).toMatchObject({ aiTokensUsed: 150, estimatedCost: 0.000225 }); // 120 × $0.75 + 30 × $4.50 per 1M
    expect(sink.requests).toHaveLength(0);
  });
});
