/**
 * The workspace MCP endpoint against the embedded stack (`createTempStack()`: gateway, listener and runner on one
 * SQLite store and the in-process queue), with the official SDK's `Client` + `StreamableHTTPClientTransport` on
 * the other side.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { WorkflowApi } from '@outrun/client';
import type { WorkflowInputRaw } from '@outrun/schemas';
import { createTempStack, type Stack } from '@outrun/testing/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, waitFor } from '../../test/api-harness';

let stack: Stack;
/** The test workspace: its id, key and a client, and the gateway's URL. */
let h: { ws: string; apiKey: string; api: WorkflowApi; baseUrl: string };
const clients: Client[] = [];

const GREET_SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, times: { type: 'integer', minimum: 1, maximum: 3 } },
  required: ['name'],
  additionalProperties: false,
};

/** manual trigger → set: the output echoes the arguments plus a greeting built from them. */
function greetWorkflow(name: string, mcp: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): WorkflowInputRaw {
  const wf = simpleWorkflow(name, `mcp-${name.replace(/\W/g, '')}`);
  const nodes = wf.nodes.map((n) => (n.id === 'set' ? { ...n, data: { fields: [{ name: 'greeting', value: 'Hello {{ trigger.name }}' }] } } : n));
  return { ...wf, nodes, settings: { inputSchema: GREET_SCHEMA, ...(mcp ? { mcp } : {}), ...extra } } as WorkflowInputRaw;
}

async function create(body: WorkflowInputRaw, activate = true): Promise<string> {
  const wf = await h.api.createWorkflow(h.ws, body);
  if (activate) await h.api.activateWorkflow(h.ws, wf.id);
  return wf.id;
}

async function connect(apiKey: string, ws = h.ws, info = { name: 'claude-desktop', version: '1.2.3' }): Promise<Client> {
  const client = new Client(info);
  const transport = new StreamableHTTPClientTransport(new URL(`${h.baseUrl}/api/workspaces/${ws}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${apiKey}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

let greetId: string;
let slowId: string;

beforeAll(async () => {
  // One waiting tool call per key: the slot test below needs the limit low.
  stack = await createTempStack({ env: { OUTRUN_QUOTA_STREAMS_PER_KEY: '1' } });
  h = { ...(await stack.newWorkspace('mcp')), baseUrl: stack.baseUrl };
  greetId = await create(greetWorkflow('Greet someone', { expose: true, toolName: 'greet', description: 'Greets a person by name' }));
  await create(greetWorkflow('Hidden', undefined));
  await create(greetWorkflow('Draft exposed', { expose: true, toolName: 'draft_tool' }), false);
  // A delay longer than the tool's wait: the call answers with the run id.
  const slow = greetWorkflow('Slow one', { expose: true, waitMs: 1_000 });
  slow.nodes = [...(slow.nodes ?? []), { id: 'wait', type: 'delay', position: { x: 400, y: 0 }, data: { duration: 3_000 } }];
  slow.edges = [...(slow.edges ?? []), { id: 'e2', source: 'set', target: 'wait' }];
  slowId = await create(slow);
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await stack?.close();
});

describe('workspace MCP endpoint', () => {
  it('lists only the exposed active workflows, with their declared input schema', async () => {
    const client = await connect(h.apiKey);
    expect(client.getServerVersion()?.name).toBe('outrun');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['Slow_one', 'greet']);
    const greet = tools.find((t) => t.name === 'greet');
    expect(greet?.description).toBe('Greets a person by name');
    expect(greet?.inputSchema).toMatchObject({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });
  });

  it('runs the workflow on a tool call, answers its output and records the run naming the client', async () => {
    const client = await connect(h.apiKey);
    const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ name: 'Ada', greeting: 'Hello Ada' });
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
    expect(JSON.parse(text)).toMatchObject({ greeting: 'Hello Ada' });
    const runId = String(result._meta?.['outrun/runId']);
    const run = await h.api.getRun(h.ws, runId);
    expect(run).toMatchObject({ workflowId: greetId, status: 'completed', triggeredBy: { type: 'manual', source: 'mcp:claude-desktop/1.2.3', payload: { name: 'Ada' } } });
  });

  it('answers bad arguments with a tool error naming the field, and starts no run', async () => {
    const client = await connect(h.apiKey);
    const before = (await h.api.listRuns(h.ws, { workflowId: greetId })).items.length;
    const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada', times: 7, extra: true } });
    expect(result.isError).toBe(true);
    const body = JSON.parse((result.content as Array<{ text: string }>)[0]?.text ?? '{}') as { error: { code: string; details: Array<{ path: string }> } };
    expect(body.error.code).toBe('OUT_ERR_VALIDATION');
    expect(body.error.details.map((d) => d.path)).toContain('arguments.times');
    expect((await h.api.listRuns(h.ws, { workflowId: greetId })).items.length).toBe(before);
  });

  it('refuses tools that are not exposed (hidden, draft) as unknown', async () => {
    const client = await connect(h.apiKey);
    await expect(client.callTool({ name: 'Hidden', arguments: { name: 'x' } })).rejects.toThrow(/Unknown tool/);
    await expect(client.callTool({ name: 'draft_tool', arguments: { name: 'x' } })).rejects.toThrow(/Unknown tool/);
  });

  it('answers a long run with its run id once the wait is over', async () => {
    const client = await connect(h.apiKey);
    const result = await client.callTool({ name: 'Slow_one', arguments: { name: 'Bo' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'running' });
    const runId = String((result.structuredContent as { runId: string }).runId);
    expect((await h.api.getRun(h.ws, runId)).workflowId).toBe(slowId);
  });

  it('holds a stream slot while a call waits: a second concurrent call of the key gets 429', async () => {
    const client = await connect(h.apiKey);
    const first = client.callTool({ name: 'Slow_one', arguments: { name: 'Cy' } });
    await waitFor(async () => (await h.api.listRuns(h.ws, { workflowId: slowId })).items.some((r) => r.triggeredBy.payload !== null && (r.triggeredBy.payload as { name?: string }).name === 'Cy'));
    await expect(client.callTool({ name: 'greet', arguments: { name: 'Di' } })).rejects.toMatchObject({ code: 429 });
    expect((await first).structuredContent).toMatchObject({ status: 'running' });
    // Released with the first answer.
    expect((await client.callTool({ name: 'greet', arguments: { name: 'Di' } })).structuredContent).toMatchObject({ greeting: 'Hello Di' });
  });

  it('refuses a wrong key with 401 and a key of another workspace with 404', async () => {
    await expect(connect('out_wrong_key')).rejects.toMatchObject({ code: 401, message: expect.stringContaining('OUT_ERR_UNAUTHENTICATED') });
    const other = await stack.newWorkspace('other');
    await expect(connect(other.apiKey)).rejects.toMatchObject({ code: 404 });
    const res = await fetch(`${h.baseUrl}/api/workspaces/${h.ws}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OUT_ERR_UNAUTHENTICATED');
  });

  it('serves the "MCP tool" template once instantiated and activated', async () => {
    const draft = await h.api.instantiateTemplate(h.ws, 'mcp-support-ticket');
    await h.api.activateWorkflow(h.ws, draft.id);
    const client = await connect(h.apiKey, h.ws, { name: 'cursor', version: '0.50' });
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'create_support_ticket')?.inputSchema).toMatchObject({ required: ['email', 'subject'] });
    const bad = await client.callTool({ name: 'create_support_ticket', arguments: { email: 'ada@example.com' } });
    expect(bad.isError).toBe(true);
    const result = await client.callTool({ name: 'create_support_ticket', arguments: { email: 'ada@example.com', subject: 'Printer on fire' } });
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as { ticketId: string; status: string };
    expect(answer.status).toBe('open');
    const stored = await stack.store.data.get(h.ws, 'tickets', answer.ticketId);
    expect(stored?.data).toMatchObject({ email: 'ada@example.com', subject: 'Printer on fire', status: 'open' });
    const run = await h.api.getRun(h.ws, String(result._meta?.['outrun/runId']));
    expect(run.triggeredBy.source).toBe('mcp:cursor/0.50');
  });
});
