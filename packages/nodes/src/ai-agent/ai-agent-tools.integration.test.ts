import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import type { NodeServices } from '@outrun/engine';
import { createHttpClient, type PooledHttpClient } from '../http/create-http-client';
import { runNode } from '../testing/run-node';
import { aiAgentNode } from './index';
import { leadParams } from './test-support';

// Tool round trips: the model asks for a tool, the node runs it for real (guarded HTTP client to a local
// sink; SQLite data collection), the result goes back to the model on the next request, then the answer.
let server: OpenAiServer;
let sink: HttpSink;
let temp: TempSqliteStore;
let http: PooledHttpClient;
let services: NodeServices;
let workspaceId: string;

beforeEach(async () => {
  server = await startOpenAiServer();
  sink = await startHttpSink({ respond: (req) => ({ status: 200, body: { company: 'Acme Corp', employees: 5000, path: req.url } }) });
  temp = await createTempSqliteStore();
  workspaceId = (await temp.store.workspaces.createWorkspace({ name: 'ai' })).id;
  // The sink listens on 127.0.0.1: allowed explicitly, as an operator would allow an internal API.
  http = createHttpClient({ allowList: [`127.0.0.1:${sink.port}`] });
  const crmCred = await temp.store.credentials.create(workspaceId, { name: 'crm', type: 'http_bearer', data: { token: 'crm-secret' }, allowedHosts: [`127.0.0.1:${sink.port}`] });
  const store = temp.store;
  services = {
    http,
    ai: { apiKey: 'sk-test', baseURL: server.url },
    credentials: { get: (id) => store.credentials.getSecret(workspaceId, id), allowedHosts: async (id) => (await store.credentials.getInfo(workspaceId, id))?.allowedHosts ?? null },
    data: {
      find: async (collection, filter, limit) =>
        (await store.data.find(workspaceId, collection, { filter, ...(limit !== undefined ? { limit } : {}) })).items.map((d) => ({ id: d.id, data: d.data })),
      insert: async (collection, data) => ({ id: (await store.data.insert(workspaceId, collection, data)).id }),
      update: async (collection, id, patch) => (await store.data.update(workspaceId, collection, id, patch)) !== null,
    },
  };
  services['crmCredentialId'] = crmCred.id;
});
afterEach(async () => {
  await http.close();
  await sink.close();
  await server.close();
  await temp.cleanup();
});

const LEAD = { classification: 'hot_lead', confidence: 0.92 };
const crmTool = (credentialId: string) => ({
  type: 'http', name: 'crm_company', description: 'Looks a company up in the CRM', method: 'GET',
  urlTemplate: `http://127.0.0.1:${'PORT'}/companies/{company}`.replace('PORT', String(sink.port)), credentialId,
});

describe.each(['chat_completions', 'responses'] as const)('tools over %s', (apiMode) => {
  it('runs an HTTP tool call round trip and records it in the output', async () => {
    server.script([
      reply.toolCall('crm_company', { company: 'Acme Corp' }, { inputTokens: 200, outputTokens: 20 }, 'call_crm'),
      reply.json(LEAD, { inputTokens: 300, outputTokens: 15, cachedTokens: 200 }),
    ]);
    const result = await runNode(aiAgentNode, {
      params: leadParams({ tools: [crmTool(String(services['crmCredentialId']))] }),
      services: { ...services, ai: { apiKey: 'sk-test', baseURL: server.url, apiMode } },
    });

    expect(sink.requests).toHaveLength(1);
    expect(sink.requests[0]).toMatchObject({ method: 'GET', url: '/companies/Acme%20Corp' });
    expect(sink.requests[0]?.headers.authorization).toBe('Bearer crm-secret');
    expect(sink.requests[0]?.headers['idempotency-key']).toBe('run-test:node-1:1:tool:0');

    const toolResult = { status: 200, body: { company: 'Acme Corp', employees: 5000, path: '/companies/Acme%20Corp' } };
    expect(result.output).toMatchObject({
      output: LEAD,
      toolCalls: [{ name: 'crm_company', arguments: { company: 'Acme Corp' }, result: toolResult }],
    });
    // Usage sums both model calls; the HTTP call counts as a webhook.
    const cost = (300 * 0.75 + 200 * 0.075 + 35 * 4.5) / 1e6; // gpt-5.4-mini
    expect(result.usage).toMatchObject({ inputTokens: 500, cachedInputTokens: 200, outputTokens: 35, totalTokens: 535, webhooksCalled: 1 });
    expect(result.usage.cost).toBeCloseTo(cost, 15);

    // The second model request carries the tool output back under the call id.
    expect(server.requests).toHaveLength(2);
    const second = JSON.stringify(server.requests[1]?.body);
    expect(second).toContain('call_crm');
    expect(second).toContain('employees');
    // The tool was declared to the model with its URL placeholder as a required string parameter.
    const declared = JSON.stringify(server.requests[0]?.body);
    expect(declared).toContain('crm_company');
    expect(declared).toContain('"required":["company"]');
    expect(declared).toContain('"strict":true');
  });

  it('runs a data collection lookup against the workspace store', async () => {
    await temp.store.data.insert(workspaceId, 'companies', { name: 'Acme Corp', tier: 'enterprise' });
    await temp.store.data.insert(workspaceId, 'companies', { name: 'Other Inc', tier: 'smb' });
    server.script([reply.toolCall('find_company', { field: 'name', value: 'Acme Corp' }, undefined, 'call_db'), reply.json(LEAD)]);
    const result = await runNode(aiAgentNode, {
      params: leadParams({ tools: [{ type: 'data_lookup', name: 'find_company', description: 'Known companies', collection: 'companies', limit: 5 }] }),
      services: { ...services, ai: { apiKey: 'sk-test', baseURL: server.url, apiMode } },
    });
    const calls = (result.output as { toolCalls: Array<{ result: { count: number; documents: Array<{ data: unknown }> } }> }).toolCalls;
    expect(calls).toHaveLength(1);
    expect(calls[0]?.result.count).toBe(1);
    expect(calls[0]?.result.documents[0]?.data).toEqual({ name: 'Acme Corp', tier: 'enterprise' });
    expect(JSON.stringify(server.requests[1]?.body)).toContain('enterprise');
    expect(result.usage.webhooksCalled).toBe(0);
  });
});

describe('tool trust boundary', () => {
  it('reports invalid model arguments and SSRF-blocked URLs to the model instead of calling out', async () => {
    server.script([
      reply.toolCall('find_company', { field: 'name; drop', value: 'x' }, undefined, 'call_bad'),
      reply.toolCall('metadata', {}, undefined, 'call_ssrf'),
      reply.json(LEAD),
    ]);
    const result = await runNode(aiAgentNode, {
      params: leadParams({
        tools: [
          { type: 'data_lookup', name: 'find_company', description: 'Known companies', collection: 'companies' },
          { type: 'http', name: 'metadata', description: 'Cloud metadata', urlTemplate: 'http://169.254.169.254/latest/meta-data' },
        ],
      }),
      services,
    });
    const calls = (result.output as { toolCalls: Array<{ name: string; result: { error?: { code: string } } }> }).toolCalls;
    expect(calls.map((c) => c.name)).toEqual(['find_company', 'metadata']);
    expect(calls[0]?.result.error).toBeDefined();
    expect(calls[1]?.result.error?.code).toBe('OUT_ERR_SSRF_BLOCKED');
    expect(sink.requests).toHaveLength(0);
    expect(JSON.stringify(server.requests[2]?.body)).toContain('OUT_ERR_SSRF_BLOCKED');
  });

  it('fails the step when the runner lends no HTTP client', async () => {
    server.script([reply.toolCall('crm_company', { company: 'Acme' }), reply.json(LEAD)]);
    const { http: _omit, ...withoutHttp } = services;
    await expect(
      runNode(aiAgentNode, { params: leadParams({ tools: [crmTool(String(services['crmCredentialId']))] }), services: withoutHttp }),
    ).rejects.toMatchObject({ code: 'OUT_ERR_CONFIG' });
  });

  it('rejects duplicate tool names and bad output schemas as params errors', async () => {
    const dup = { type: 'data_lookup', name: 't', description: 'd', collection: 'c' };
    await expect(runNode(aiAgentNode, { params: leadParams({ tools: [dup, dup] }), services })).rejects.toMatchObject({ code: 'OUT_ERR_INVALID_NODE_PARAMS' });
    await expect(runNode(aiAgentNode, { params: leadParams({ outputSchema: { type: 'string' } }), services })).rejects.toMatchObject({ code: 'OUT_ERR_INVALID_NODE_PARAMS' });
    expect(server.requests).toHaveLength(0);
  });
});
