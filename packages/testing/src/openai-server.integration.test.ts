import OpenAI, { APIError } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiServer, type OpenAiServer } from './openai-server';

// The official SDK against the fake server: if the wire formats drift, these parse failures show it.
let server: OpenAiServer;
let client: OpenAI;

beforeEach(async () => {
  server = await startOpenAiServer();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
});
afterEach(async () => {
  await server.close();
});

const usage = { inputTokens: 120, outputTokens: 30, cachedTokens: 64 };

describe('chat completions', () => {
  it('answers plain requests with text and exact usage', async () => {
    server.script([reply.text('hello there', usage)]);
    const res = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.choices[0]?.message.content).toBe('hello there');
    expect(res.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 64 } });
    expect(server.requests[0]).toMatchObject({ api: 'chat_completions', stream: false, body: { model: 'gpt-4.1-mini' } });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams text deltas, tool call deltas and a usage chunk', async () => {
    server.script([reply.text('streamed answer text', usage), reply.toolCall('lookup', { q: 'acme' }, usage, 'call_1')]);
    const stream = await client.chat.completions.create({
      model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    let finalUsage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) finalUsage = chunk.usage;
    }
    expect(text).toBe('streamed answer text');
    expect(finalUsage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 64 } });

    const toolStream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let args = '';
    let name = '';
    let finish: string | null | undefined;
    for await (const chunk of toolStream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name += call?.function?.name ?? '';
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args) as unknown, finish }).toEqual({ name: 'lookup', args: { q: 'acme' }, finish: 'tool_calls' });
  });
});

describe('responses', () => {
  it('answers plain requests with output items and usage', async () => {
    server.script([reply.json({ classification: 'hot_lead' }, usage), reply.toolCall('lookup', { q: 'x' }, usage, 'call_9')]);
    const res = await client.responses.create({ model: 'gpt-4.1-mini', input: 'hi' });
    expect(res.output_text).toBe('{"classification":"hot_lead"}');
    expect(res.usage).toMatchObject({ input_tokens: 120, output_tokens: 30, total_tokens: 150, input_tokens_details: { cached_tokens: 64 } });
    const tool = await client.responses.create({ model: 'gpt-4.1-mini', input: 'hi' });
    expect(tool.output[0]).toMatchObject({ type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{"q":"x"}' });
  });

  it('streams the named event sequence ending in response.completed', async () => {
    server.script([reply.text('one two three', usage)]);
    const stream = await client.responses.create({ model: 'm', input: 'hi', stream: true });
    const types: string[] = [];
    let text = '';
    let completedUsage: unknown;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completedUsage = event.response.usage;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(text).toBe('one two three');
    expect(completedUsage).toMatchObject({ input_tokens: 120, output_tokens: 30, input_tokens_details: { cached_tokens: 64 } });
  });
});

describe('injected errors', () => {
  it.each([
    ['rate limit with Retry-After', reply.rateLimited(7), 429, 'rate_limit_exceeded', '7'],
    ['insufficient quota', reply.insufficientQuota(), 429, 'insufficient_quota', null],
    ['unauthorized', reply.unauthorized(), 401, 'invalid_api_key', null],
    ['forbidden', reply.forbidden(), 403, 'unsupported_country_region_territory', null],
    ['server error', reply.serverError(), 500, null, null],
  ])('%s', async (_name, scripted, status, code, retryAfter) => {
    server.script([scripted]);
    const err: unknown = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    const apiErr = err as APIError;
    expect(apiErr.status).toBe(status);
    expect(apiErr.code ?? null).toBe(code);
    expect(apiErr.headers?.get('retry-after') ?? null).toBe(retryAfter);
  });

  it('answers 500 when the script is exhausted and 401 on a wrong key when a key is required', async () => {
    const err = (await client.responses.create({ model: 'm', input: 'x' }).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(500);
    expect(err.code).toBe('fake_script_exhausted');

    const keyed = await startOpenAiServer({ apiKey: 'sk-right' });
    try {
      keyed.script([reply.text('ok')]);
      const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: keyed.url, maxRetries: 0 });
      expect(((await wrong.responses.create({ model: 'm', input: 'x' }).catch((e: unknown) => e)) as APIError).status).toBe(401);
      expect(keyed.pending()).toBe(1);
    } finally {
      await keyed.close();
    }
  });
});

describe('the Agents SDK streaming over the fake server', () => {
  it.each([true, false])('streams a tool call round trip and a final answer (useResponses: %s)', async (useResponses) => {
    const { Agent, Runner, tool } = await import('@openai/agents-core');
    const { OpenAIProvider } = await import('@openai/agents-openai');
    const { z } = await import('zod');
    server.script([reply.toolCall('lookup', { q: 'acme' }, usage, 'call_s'), reply.text('Acme is a hot lead', usage)]);
    const seen: string[] = [];
    const lookup = tool({ name: 'lookup', description: 'd', parameters: z.object({ q: z.string() }), execute: ({ q }) => { seen.push(q); return 'found'; } });
    const runner = new Runner({ modelProvider: new OpenAIProvider({ openAIClient: client, useResponses, useResponsesWebSocket: false }), tracingDisabled: true });
    const result = await runner.run(new Agent({ name: 'a', instructions: 'i', model: 'gpt-4.1-mini', tools: [lookup] }), 'hi', { stream: true });
    let deltas = '';
    for await (const event of result.toTextStream()) deltas += event;
    await result.completed;
    expect(seen).toEqual(['acme']);
    expect(deltas).toBe('Acme is a hot lead');
    expect(result.finalOutput).toBe('Acme is a hot lead');
    expect(result.state.usage).toMatchObject({ requests: 2, inputTokens: 240, outputTokens: 60 });
    expect(server.requests.every((r) => r.stream)).toBe(true);
    expect(server.requests[0]?.path).toBe(useResponses ? '/v1/responses' : '/v1/chat/completions');
  });
});
