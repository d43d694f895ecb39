/**
 * Test support: a real MCP server built with the official SDK (`McpServer` + streamable HTTP, session-based),
 * listening on 127.0.0.1. `restart()` drops every session and listens again on the same port, as a redeployed
 * server would. Not exported from the package.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface TestMcpServer {
  url: string;
  port: number;
  /** Tool calls received, in order, with the Authorization header each came with. */
  calls: Array<{ tool: string; args: unknown; authorization: string | undefined }>;
  /** `initialize` requests received (new sessions). */
  sessions: number;
  restart(): Promise<void>;
  close(): Promise<void>;
}

function buildServer(record: (tool: string, args: unknown) => void): McpServer {
  const server = new McpServer({ name: 'orders', version: '1.0.0' });
  server.registerTool('lookup_order', {
    description: 'Looks an order up by id',
    inputSchema: { orderId: z.string() },
    outputSchema: { orderId: z.string(), status: z.string() },
  }, async ({ orderId }) => {
    record('lookup_order', { orderId });
    const structured = { orderId, status: 'shipped' };
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  });
  server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => {
    record('add', { a, b });
    return { content: [{ type: 'text', text: String(a + b) }] };
  });
  server.registerTool('dump', { description: 'Answers 1 MB of text', inputSchema: {} }, async () => {
    record('dump', {});
    return { content: [{ type: 'text', text: 'x'.repeat(1_000_000) }] };
  });
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => {
    record('fail', {});
    return { content: [{ type: 'text', text: 'the warehouse is closed' }], isError: true };
  });
  return server;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export async function startTestMcpServer(options: { bearer?: string } = {}): Promise<TestMcpServer> {
  const calls: TestMcpServer['calls'] = [];
  let transports = new Map<string, StreamableHTTPServerTransport>();
  let currentAuth: string | undefined;
  const state = { sessions: 0 };
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    if (options.bearer !== undefined && req.headers.authorization !== `Bearer ${options.bearer}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    currentAuth = req.headers.authorization;
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const sessionId = req.headers['mcp-session-id'] as string | undefined;
    let transport = sessionId === undefined ? undefined : transports.get(sessionId);
    if (!transport) {
      if (sessionId !== undefined || (body as { method?: string } | undefined)?.method !== 'initialize') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}');
        return;
      }
      const fresh = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void transports.set(id, fresh) });
      state.sessions += 1;
      await buildServer((tool, args) => calls.push({ tool, args, authorization: currentAuth })).connect(fresh);
      transport = fresh;
    }
    await transport.handleRequest(req, res, body);
  };
  let server: Server;
  const listen = (port: number) =>
    new Promise<Server>((resolve) => {
      const s = createServer((req, res) => void handler(req, res));
      s.listen(port, '127.0.0.1', () => resolve(s));
    });
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const t of transports.values()) await t.close().catch(() => undefined);
    transports = new Map();
  };
  server = await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    calls,
    get sessions() {
      return state.sessions;
    },
    async restart() {
      await stop();
      server = await listen(port);
    },
    close: stop,
  };
}
