/**
 * MCP servers as tool sources of the ai-agent node: a real MCP server built with the official SDK (streamable
 * HTTP, session-based; and one over stdio), the real Agents SDK driven by the local OpenAI-compatible fake.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiServer, type OpenAiServer } from '@outrun/testing/openai-server';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import type { NodeServices } from '@outrun/engine';
import { runNode } from '../testing/run-node';
import { aiAgentNode } from './index';
import { startTestMcpServer, type TestMcpServer } from './mcp-test-server';

let openai: OpenAiServer;
let mcp: TestMcpServer;
let temp: TempSqliteStore;
let services: NodeServices;
let credentialId: string;
/** Runs between two model turns when set (see `beforeReply`). */
let betweenTurns: ((index: number) => Promise<void>) | undefined;

beforeEach(async () => {
  betweenTurns = undefined;
  openai = await startOpenAiServer({ beforeReply: (i) => betweenTurns?.(i) });
  mcp = await startTestMcpServer({ bearer: 'mcp-secret' });
  temp = await createTempSqliteStore();
  const ws = (await temp.store.workspaces.createWorkspace({ name: 'mcp' })).id;
  credentialId = (await temp.store.credentials.create(ws, { name: 'orders', type: 'http_bearer', data: { token: 'mcp-secret' }, allowedHosts: [`127.0.0.1:${mcp.port}`] })).id;
  const store = temp.store;
  services = {
    // The MCP server listens on 127.0.0.1: allowed explicitly, as an operator would (OUTRUN_HTTP_ALLOW_LIST).
    ai: { apiKey: 'sk-test', baseURL: openai.url, allowList: [`127.0.0.1:${mcp.port}`] },
    credentials: { get: (id) => store.credentials.getSecret(ws, id), allowedHosts: async (id) => (await store.credentials.getInfo(ws, id))?.allowedHosts ?? null },
  };
});
afterEach(async () => {
  await mcp.close();
  await openai.close();
  await temp.cleanup();
});

const ordersServer = (extra: Record<string, unknown> = {}) => ({ type: 'http', name: 'orders', url: mcp.url, credentialId, ...extra });
const params = (mcpServers: unknown[]) => ({ instructions: 'Answer questions about orders.', input: 'Where is order A-1?', mcpServers });
type Output = { output: unknown; toolCalls: Array<{ name: string; arguments: unknown; result: unknown; durationMs: number }> };

describe('MCP over streamable HTTP', () => {
  it('offers the server tools to the model, calls them with the credential and records each call', async () => {
    openai.script([reply.toolCall('orders__lookup_order', { orderId: 'A-1' }), reply.toolCall('orders__fail', {}), reply.text('Order A-1 has shipped.')]);
    const result = await runNode(aiAgentNode, { params: params([ordersServer()]), services });
    const out = result.output as Output;
    expect(out.output).toBe('Order A-1 has shipped.');
    expect(out.toolCalls).toHaveLength(2);
    expect(out.toolCalls[0]).toMatchObject({ name: 'orders__lookup_order', arguments: { orderId: 'A-1' }, result: { orderId: 'A-1', status: 'shipped' } });
    expect(out.toolCalls[0]?.durationMs).toEqual(expect.any(Number));
    // An MCP error result goes back to the model as a tool error, recorded.
    expect(out.toolCalls[1]).toMatchObject({ name: 'orders__fail', result: { error: { code: 'OUT_ERR_NODE_FAILED', message: 'the warehouse is closed' } } });
    expect(mcp.calls.map((c) => [c.tool, c.authorization])).toEqual([['lookup_order', 'Bearer mcp-secret'], ['fail', 'Bearer mcp-secret']]);
    // The tools were declared to the model under the server's prefix; the result came back on the next turn.
    const declared = JSON.stringify(openai.requests[0]?.body);
    for (const name of ['orders__lookup_order', 'orders__add', 'orders__fail', 'orders__dump']) expect(declared).toContain(name);
    expect(JSON.stringify(openai.requests[1]?.body)).toContain('shipped');
    expect(result.usage.webhooksCalled).toBe(2);
  });

  it('bounds what a server answers in the step record', async () => {
    openai.script([reply.toolCall('orders__dump', {}), reply.text('ok')]);
    const out = (await runNode(aiAgentNode, { params: params([ordersServer()]), services })).output as Output;
    expect(out.toolCalls[0]?.result).toMatchObject({ truncated: true, chars: 1_000_002 });
    expect(JSON.stringify(out).length).toBeLessThan(40_000);
  });

  it('offers only allowedTools', async () => {
    openai.script([reply.text('ok')]);
    await runNode(aiAgentNode, { params: params([ordersServer({ allowedTools: ['add'] })]), services });
    const declared = JSON.stringify(openai.requests[0]?.body);
    expect(declared).toContain('orders__add');
    expect(declared).not.toContain('orders__lookup_order');
  });

  it('refuses a private-IP MCP URL unless allowed, before anything is sent', async () => {
    openai.script([reply.text('never')]);
    const { ai: _ai, ...rest } = services;
    const guarded = { ...rest, ai: { apiKey: 'sk-test', baseURL: openai.url } };
    await expect(runNode(aiAgentNode, { params: params([ordersServer()]), services: guarded })).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
    await expect(runNode(aiAgentNode, { params: params([{ type: 'http', name: 'meta', url: 'http://169.254.169.254/mcp' }]), services: guarded })).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
    expect(mcp.sessions).toBe(0);
    expect(openai.requests).toHaveLength(0);
  });

  it('sends a credential only to its allowed hosts', async () => {
    const other = await startTestMcpServer();
    try {
      const allowBoth = { ...services, ai: { apiKey: 'sk-test', baseURL: openai.url, allowList: [`127.0.0.1:${mcp.port}`, `127.0.0.1:${other.port}`] } };
      await expect(runNode(aiAgentNode, { params: params([{ type: 'http', name: 'other', url: other.url, credentialId }]), services: allowBoth }))
        .rejects.toMatchObject({ code: 'OUT_ERR_CREDENTIAL_HOST_NOT_ALLOWED' });
      expect(other.sessions).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('meets a restarted server fresh on the next run', async () => {
    openai.script([reply.toolCall('orders__add', { a: 1, b: 2 }), reply.text('3')]);
    const first = (await runNode(aiAgentNode, { params: params([ordersServer()]), services })).output as Output;
    expect(first.toolCalls[0]?.result).toBe(3);
    await mcp.restart();
    openai.script([reply.toolCall('orders__add', { a: 2, b: 2 }), reply.text('4')]);
    const second = (await runNode(aiAgentNode, { params: params([ordersServer()]), services })).output as Output;
    expect(second.toolCalls[0]?.result).toBe(4);
    expect(mcp.sessions).toBe(2);
  });

  it('reconnects when the server restarts in the middle of a step', async () => {
    // Model turn 2 is served only after the server restarted: its session is gone when the second call comes.
    betweenTurns = async (i) => {
      if (i === 1) await mcp.restart();
    };
    openai.script([reply.toolCall('orders__lookup_order', { orderId: 'A-1' }), reply.toolCall('orders__add', { a: 5, b: 6 }), reply.text('done')]);
    const out = (await runNode(aiAgentNode, { params: params([ordersServer()]), services })).output as Output;
    expect(out.toolCalls.map((c) => c.result)).toEqual([{ orderId: 'A-1', status: 'shipped' }, 11]);
    expect(mcp.sessions).toBe(2);
    expect(mcp.calls.map((c) => c.tool)).toEqual(['lookup_order', 'add']);
  });

  it('fails the step (retriable) when the server cannot be reached', async () => {
    await mcp.close();
    openai.script([reply.text('never')]);
    await expect(runNode(aiAgentNode, { params: params([ordersServer()]), services })).rejects.toMatchObject({ code: 'OUT_ERR_NETWORK' });
    await mcp.restart(); // afterEach closes it again
  });
});

describe('MCP over stdio', () => {
  const script = fileURLToPath(new URL('./testdata/stdio-mcp-server.mjs', import.meta.url));
  const stdioServer = { type: 'stdio', name: 'local', command: process.execPath, args: [script] };

  it('refuses a command that is not on the instance allow list', async () => {
    await expect(runNode(aiAgentNode, { params: params([stdioServer]), services })).rejects.toMatchObject({ code: 'OUT_ERR_INVALID_NODE_PARAMS' });
    expect(openai.requests).toHaveLength(0);
  });

  it('runs an allow-listed local command without the runner environment', async () => {
    process.env['OUTRUN_TEST_SECRET'] = 'runner-only';
    try {
      openai.script([reply.toolCall('local__upper', { text: 'hi' }), reply.text('HI')]);
      const out = (await runNode(aiAgentNode, { params: params([stdioServer]), services: { ...services, mcp: { stdioAllowList: [process.execPath] } } })).output as Output;
      expect(out.toolCalls[0]).toMatchObject({ name: 'local__upper', result: { upper: 'HI', secretSeen: null } });
    } finally {
      delete process.env['OUTRUN_TEST_SECRET'];
    }
  });
});
