import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { CATALOGUE_SOURCE, CATALOGUE_VERSION } from '../ai/price-catalogue';
import { runNode } from '../testing/run-node';
import { aiAgentNode } from './index';
import { leadParams, watchOutboundConnections, type ConnectionWatch } from './test-support';

// The seed's lead classification through the real Agents SDK + openai client, over HTTP to the fake server.
let server: OpenAiServer;
let watch: ConnectionWatch;

beforeEach(async () => {
  server = await startOpenAiServer();
  watch = watchOutboundConnections();
});
afterEach(async () => {
  watch.stop();
  await server.close();
});

const serverHost = () => new URL(server.url).host;
const LEAD = { classification: 'hot_lead', confidence: 0.92 };

describe.each(['chat_completions', 'responses'] as const)('lead classification over %s', (apiMode) => {
  it('returns the structured output with usage and cost exact to the token', async () => {
    server.script([reply.json(LEAD, { inputTokens: 1234, outputTokens: 56, cachedTokens: 1000 })]);
    const result = await runNode(aiAgentNode, {
      params: leadParams(),
      services: { ai: { apiKey: 'sk-test', baseURL: server.url, apiMode } },
    });

    // gpt-5.4-mini (the bundled catalogue): 234 × $0.75 + 1000 × $0.075 + 56 × $4.50 per 1M tokens.
    const cost = (234 * 0.75 + 1000 * 0.075 + 56 * 4.5) / 1e6;
    const priced = { priceSource: CATALOGUE_SOURCE, priceVersion: CATALOGUE_VERSION };
    expect(result.output).toEqual({
      output: LEAD,
      toolCalls: [],
      usage: { model: 'gpt-5.4-mini', requests: 1, inputTokens: 1234, cachedInputTokens: 1000, outputTokens: 56, totalTokens: 1290, cost: expect.closeTo(cost, 15) as number, ...priced },
      model: 'gpt-5.4-mini',
    });
    expect(result.usage).toEqual({
      model: 'gpt-5.4-mini', inputTokens: 1234, cachedInputTokens: 1000, outputTokens: 56, totalTokens: 1290, cost: 0.0005025, ...priced, webhooksCalled: 0,
    });

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req?.path).toBe(apiMode === 'responses' ? '/v1/responses' : '/v1/chat/completions');
    expect(req?.headers.authorization).toBe('Bearer sk-test');
    expect(JSON.stringify(req?.body)).toContain('John Doe from Acme Corp');
    const format = apiMode === 'responses'
      ? (req?.body['text'] as { format: { type: string; schema: unknown } }).format
      : (req?.body['response_format'] as { type: string; json_schema: { schema: unknown } });
    expect(format.type).toBe('json_schema');
    expect(JSON.stringify(format)).toContain('hot_lead');

    // Nothing else was contacted (no tracing export, no default client): only the fake server.
    expect(watch.attempts.length).toBeGreaterThan(0);
    expect(new Set(watch.attempts)).toEqual(new Set([serverHost()]));
  });

  it('answers plain text when no outputSchema is given, with model settings passed through', async () => {
    server.script([reply.text('A hot lead.', { inputTokens: 10, outputTokens: 4 })]);
    const result = await runNode(aiAgentNode, {
      params: { instructions: 'Summarise', model: 'gpt-4o-mini', modelSettings: { temperature: 0.2, topP: 0.9, maxTokens: 64 } },
      input: { text: 'John Doe from Acme Corp' },
      services: { ai: { baseURL: server.url, apiMode } },
    });
    expect(result.output).toMatchObject({ output: 'A hot lead.', model: 'gpt-4o-mini' });
    expect(result.usage.cost).toBeCloseTo((10 * 0.15 + 4 * 0.6) / 1e6, 15);
    const body = server.requests[0]?.body ?? {};
    // No `input` param: the node's input is sent as JSON.
    expect(JSON.stringify(body)).toContain(JSON.stringify(JSON.stringify({ text: 'John Doe from Acme Corp' })).slice(1, -1));
    expect(body['temperature']).toBe(0.2);
    expect(body['top_p']).toBe(0.9);
    expect(body[apiMode === 'responses' ? 'max_output_tokens' : 'max_tokens']).toBe(64);
    // A local server needs no key: the client sends a placeholder.
    expect(server.requests[0]?.headers.authorization).toBe('Bearer not-needed');
  });
});

describe('provider resolution', () => {
  it('uses the node credential over the workspace default, with the API mode it names', async () => {
    const other = await startOpenAiServer();
    try {
      server.script([reply.json(LEAD)]);
      other.script([reply.json(LEAD)]);
      const credentials = {
        allowedHosts: () => Promise.resolve([]),
        get: (id: string) => Promise.resolve(id === 'cred-openai' ? { apiKey: 'sk-node', baseURL: server.url, apiMode: 'responses' } : null),
      };
      await runNode(aiAgentNode, {
        params: leadParams({ credentialId: 'cred-openai' }),
        // The fake server is on 127.0.0.1: a credential's base URL there must be allow-listed (SSRF guard).
        services: { credentials, ai: { apiKey: 'sk-default', baseURL: other.url, allowList: ['127.0.0.1'] } },
      });
      expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/v1/responses', 'Bearer sk-node']]);
      expect(other.requests).toHaveLength(0);

      await runNode(aiAgentNode, { params: leadParams(), services: { credentials, ai: { apiKey: 'sk-default', baseURL: other.url } } });
      // A compatible server defaults to chat completions.
      expect(other.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/v1/chat/completions', 'Bearer sk-default']]);
    } finally {
      await other.close();
    }
  });

  it('uses the workspace default credential id when the node names none', async () => {
    server.script([reply.json(LEAD)]);
    const credentials = { allowedHosts: () => Promise.resolve([]), get: (id: string) => Promise.resolve(id === 'ws-default' ? { apiKey: 'sk-ws', baseURL: server.url } : null) };
    await runNode(aiAgentNode, { params: leadParams(), services: { credentials, ai: { defaultCredentialId: 'ws-default', apiKey: 'sk-ignored', allowList: [serverHost()] } } });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-ws');
  });

  it('refuses a credential base URL on a private address unless allow-listed (the operator base URL is trusted)', async () => {
    server.script([reply.json(LEAD)]);
    const credentials = { allowedHosts: () => Promise.resolve([]), get: () => Promise.resolve({ apiKey: 'sk-x', baseURL: server.url }) };
    await expect(runNode(aiAgentNode, { params: leadParams({ credentialId: 'c' }), services: { credentials } })).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
    const metadata = { allowedHosts: () => Promise.resolve([]), get: () => Promise.resolve({ apiKey: 'sk-x', baseURL: 'http://169.254.169.254/v1' }) };
    await expect(
      runNode(aiAgentNode, { params: leadParams({ credentialId: 'c' }), services: { credentials: metadata, ai: { allowList: [serverHost()] } } }),
    ).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
    expect(server.requests).toHaveLength(0);
    await runNode(aiAgentNode, { params: leadParams({ credentialId: 'c' }), services: { credentials, ai: { allowPrivateNetwork: true } } });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an openai credential whose baseURL is not among its allowedHosts; an old credential (none) may reach its own baseURL only', async () => {
    server.script([reply.json(LEAD)]);
    const data = { apiKey: 'sk-bound', baseURL: server.url };
    const bound = { allowedHosts: () => Promise.resolve(['https://api.openai.com']), get: () => Promise.resolve(data) };
    await expect(runNode(aiAgentNode, { params: leadParams({ credentialId: 'c' }), services: { credentials: bound, ai: { allowList: [serverHost()] } } }))
      .rejects.toMatchObject({ code: 'OUT_ERR_CREDENTIAL_HOST_NOT_ALLOWED', kind: 'user' });
    expect(server.requests).toHaveLength(0);
    const legacy = { allowedHosts: () => Promise.resolve([]), get: () => Promise.resolve(data) };
    await runNode(aiAgentNode, { params: leadParams({ credentialId: 'c' }), services: { credentials: legacy, ai: { allowList: [serverHost()] } } });
    expect(server.requests).toHaveLength(1);
  });

  it('fails with clear codes when no provider is configured or the credential is missing or malformed', async () => {
    await expect(runNode(aiAgentNode, { params: leadParams() })).rejects.toMatchObject({ code: 'OUT_ERR_AI_AUTH', kind: 'user' });
    const credentials = { allowedHosts: () => Promise.resolve([]), get: (id: string) => Promise.resolve(id === 'bad' ? { token: 'x' } : null) };
    await expect(runNode(aiAgentNode, { params: leadParams({ credentialId: 'gone' }), services: { credentials } })).rejects.toMatchObject({ code: 'OUT_ERR_CREDENTIAL_NOT_FOUND' });
    await expect(runNode(aiAgentNode, { params: leadParams({ credentialId: 'bad' }), services: { credentials } })).rejects.toMatchObject({ code: 'OUT_ERR_AI_AUTH' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('pricing', () => {
  it('reports cost null (unpriced, never 0) for a model missing from the table, and honours an override', async () => {
    server.script([reply.text('ok', { inputTokens: 100, outputTokens: 10 }), reply.text('ok', { inputTokens: 100, outputTokens: 10 })]);
    const ai = { baseURL: server.url };
    const unpriced = await runNode(aiAgentNode, { params: { instructions: 'x', input: 'y', model: 'llama3.1:8b' }, services: { ai } });
    expect(unpriced.usage).toMatchObject({ model: 'llama3.1:8b', totalTokens: 110, cost: null });

    const priceTable = { version: 'local-2026-11-25', currency: 'USD', models: { 'llama3.1:8b': { input: 0, output: 0 } } };
    const priced = await runNode(aiAgentNode, { params: { instructions: 'x', input: 'y', model: 'llama3.1:8b' }, services: { ai: { ...ai, priceTable } } });
    expect(priced.usage.cost).toBe(0);
  });
});
