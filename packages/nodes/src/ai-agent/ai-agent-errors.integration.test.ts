import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonRetriableError, OperationalError, RetryAfterError, UnexpectedError } from '@outrun/schemas';
import { reply, startOpenAiServer, type OpenAiServer, type ScriptedReply } from '@outrun/testing/openai-server';
import { runNode } from '../testing/run-node';
import { aiAgentNode } from './index';
import { createGateClock, leadParams, waitUntil } from './test-support';

// Every error path, translated at the edge: what the engine sees decides whether and when it retries.
let server: OpenAiServer;
beforeEach(async () => {
  server = await startOpenAiServer();
});
afterEach(async () => {
  await server.close();
});

const LEAD = { classification: 'hot_lead', confidence: 0.92 };
const run = (extra: Record<string, unknown> = {}, apiMode: 'responses' | 'chat_completions' = 'chat_completions', more: Partial<Parameters<typeof runNode>[1]> = {}) =>
  runNode(aiAgentNode, { params: leadParams(extra), services: { ai: { apiKey: 'sk-test', baseURL: server.url, apiMode } }, ...more });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected the step to fail'); }, (e: unknown) => e);

describe.each(['chat_completions', 'responses'] as const)('provider errors over %s', (apiMode) => {
  it('429 with Retry-After → RetryAfterError(OUT_ERR_AI_RATE_LIMITED) with the wait, and no silent SDK retry', async () => {
    server.script([reply.rateLimited(7), reply.json(LEAD)]);
    const err = await failure(run({}, apiMode));
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err).toMatchObject({ code: 'OUT_ERR_AI_RATE_LIMITED', retryAfterMs: 7000 });
    expect(server.requests).toHaveLength(1);
    // The engine's retry succeeds on the next attempt.
    const ok = await run({}, apiMode);
    expect(ok.output).toMatchObject({ output: LEAD });
  });

  it.each<[string, ScriptedReply, new (...args: never[]) => Error, string]>([
    ['401', reply.unauthorized(), NonRetriableError, 'OUT_ERR_AI_AUTH'],
    ['403', reply.forbidden(), NonRetriableError, 'OUT_ERR_AI_AUTH'],
    ['insufficient_quota', reply.insufficientQuota(), NonRetriableError, 'OUT_ERR_AI_QUOTA'],
    ['500', reply.serverError(500), OperationalError, 'OUT_ERR_AI_PROVIDER'],
    ['503', reply.serverError(503), OperationalError, 'OUT_ERR_AI_PROVIDER'],
    ['400', { type: 'error', status: 400, errorType: 'invalid_request_error', code: 'model_not_found', message: 'no such model' }, NonRetriableError, 'OUT_ERR_AI_PROVIDER'],
  ])('%s → %s', async (_name, scripted, kind, code) => {
    server.script([scripted]);
    const err = await failure(run({}, apiMode));
    expect(err).toBeInstanceOf(kind);
    expect(err).toMatchObject({ code });
    expect(server.requests).toHaveLength(1);
  });

  it('invalid structured output → NonRetriableError(OUT_ERR_AI_OUTPUT_INVALID)', async () => {
    server.script([reply.json({ classification: 'lukewarm', confidence: 'high' }, { inputTokens: 40, outputTokens: 9 })]);
    // The tokens of the failed call were billed: they travel on the error.
    expect(await failure(run({}, apiMode))).toMatchObject({
      code: 'OUT_ERR_AI_OUTPUT_INVALID', kind: 'user', usage: { inputTokens: 40, outputTokens: 9, totalTokens: 49, model: 'gpt-5.4-mini' },
    });
    server.script([reply.text('not json at all')]);
    expect(await failure(run({}, apiMode))).toMatchObject({ code: 'OUT_ERR_AI_OUTPUT_INVALID' });
  });

  it('max turns → NonRetriableError(OUT_ERR_AI_MAX_TURNS)', async () => {
    const tool = { type: 'data_lookup', name: 'find', description: 'd', collection: 'c' };
    const data = { find: () => Promise.resolve([]), insert: () => Promise.resolve({ id: 'x' }), update: () => Promise.resolve(true) };
    server.script([reply.toolCall('find', { field: 'a', value: 1 }), reply.toolCall('find', { field: 'a', value: 2 }), reply.json(LEAD)]);
    const err = await failure(
      runNode(aiAgentNode, { params: leadParams({ tools: [tool], maxTurns: 2 }), services: { data, ai: { apiKey: 'k', baseURL: server.url, apiMode } } }),
    );
    expect(err).toMatchObject({ code: 'OUT_ERR_AI_MAX_TURNS', kind: 'user' });
    expect(server.requests).toHaveLength(2);
  });
});

describe('network and time', () => {
  it('connection refused → OperationalError(OUT_ERR_AI_PROVIDER)', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await failure(runNode(aiAgentNode, { params: leadParams(), services: { ai: { apiKey: 'k', baseURL: `http://127.0.0.1:${port}/v1` } } }));
    expect(err).toBeInstanceOf(OperationalError);
    expect(err).toMatchObject({ code: 'OUT_ERR_AI_PROVIDER' });
  });

  it('timeoutMs elapsed → OperationalError(OUT_ERR_NODE_TIMEOUT), the request is abandoned', async () => {
    server.script([reply.hang()]);
    const clock = createGateClock();
    const pending = failure(run({ timeoutMs: 5_000 }, 'chat_completions', { clock }));
    await waitUntil(() => server.requests.length === 1 && clock.pending === 1, 'the model request to hang');
    clock.fireAll();
    const err = await pending;
    expect(err).toBeInstanceOf(OperationalError);
    expect(err).toMatchObject({ code: 'OUT_ERR_NODE_TIMEOUT' });
  });

  it('the run signal aborts the step with its own reason', async () => {
    server.script([reply.hang()]);
    const controller = new AbortController();
    const pending = failure(run({}, 'responses', { signal: controller.signal }));
    await waitUntil(() => server.requests.length === 1, 'the model request');
    const reason = new OperationalError('OUT_ERR_RUN_CANCELLED', 'cancelled by user');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });
});

describe('budgets', () => {
  it('refuses to call the model when the run budget is already spent', async () => {
    server.script([reply.json(LEAD)]);
    await expect(run({}, 'chat_completions', { budget: { usedTokens: 1000, usedCost: 0, maxTokens: 1000 } })).rejects.toMatchObject({ code: 'OUT_ERR_BUDGET_EXCEEDED' });
    await expect(run({}, 'chat_completions', { budget: { usedTokens: 0, usedCost: 0.5, maxCost: 0.5 } })).rejects.toMatchObject({ code: 'OUT_ERR_BUDGET_EXCEEDED' });
    expect(server.requests).toHaveLength(0);
    // Below the limits the call goes ahead.
    const ok = await run({}, 'chat_completions', { budget: { usedTokens: 999, usedCost: 0.49, maxTokens: 1000, maxCost: 0.5 } });
    expect(ok.usage.totalTokens).toBe(15);
  });

  it('stops before the next model call of the same step once its own usage reaches the budget', async () => {
    const tool = { type: 'data_lookup', name: 'find', description: 'd', collection: 'c' };
    const data = { find: () => Promise.resolve([]), insert: () => Promise.resolve({ id: 'x' }), update: () => Promise.resolve(true) };
    server.script([reply.toolCall('find', { field: 'a', value: 1 }, { inputTokens: 400, outputTokens: 100 }), reply.json(LEAD)]);
    const err = await failure(
      runNode(aiAgentNode, {
        params: leadParams({ tools: [tool] }),
        services: { data, ai: { apiKey: 'k', baseURL: server.url } },
        budget: { usedTokens: 600, usedCost: 0, maxTokens: 1100 },
      }),
    );
    expect(err).toBeInstanceOf(NonRetriableError);
    expect(err).toMatchObject({ code: 'OUT_ERR_BUDGET_EXCEEDED' });
    // The first call happened; the second (which would exceed) did not.
    expect(server.requests).toHaveLength(1);
    expect(server.pending()).toBe(1);
  });

  it('an exhausted fake script is a provider error, not a silent success', async () => {
    const err = await failure(run());
    expect(err).not.toBeInstanceOf(UnexpectedError);
    expect(err).toMatchObject({ code: 'OUT_ERR_AI_PROVIDER' });
  });
});
