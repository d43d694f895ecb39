/**
 * The workspace MCP endpoint, `POST /api/workspaces/:ws/mcp` (streamable HTTP, JSON responses): its tools are
 * the workspace's exposed active workflows. Authenticated per request by an API key (Bearer), rate limited
 * like every workspace route. Stateless: each request gets a fresh SDK `Server` + transport, so any API
 * replica answers any request and nothing is held between requests; the client's name travels in the
 * session id (client-identity.ts). GET (server-initiated stream) and DELETE (end session) answer 405.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type * as McpTypes from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Logger } from '@outrun/config';
import type { ResolvedDeps } from '../deps';
import { ErrorCode, errorBody } from '@outrun/schemas';
import { validationError } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import { WsParams, withErrors } from '../routes/common';
import { callWorkflowTool } from './call-tool';
import { identityOf, sessionIdFor, triggerSource } from './client-identity';
import { listExposedTools } from './exposed-tools';

/** A JSON-RPC message or a small batch; the SDK validates the rest. */
const McpBody = z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown())).max(8)]);
const SERVER_INFO = { name: 'outrun', version: '1.0.0' };
const notAllowed = {
  status: 405,
  headers: { allow: 'POST' },
  // MCP clients only read the status (405: no server-initiated stream); the body is the API's error shape.
  body: errorBody(ErrorCode.METHOD_NOT_ALLOWED, 'Method not allowed: this MCP endpoint is stateless (POST only).'),
};

/** The MCP SDK (≈ 25 MB of RSS) is loaded by the first MCP request, not at start (docs/performance.md, idle memory). */
let sdk: Promise<{ Server: typeof Server; StreamableHTTPServerTransport: typeof StreamableHTTPServerTransport } & typeof McpTypes> | undefined;
const loadSdk = () =>
  (sdk ??= Promise.all([import('@modelcontextprotocol/sdk/server/index.js'), import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('@modelcontextprotocol/sdk/types.js')]).then(([server, http, types]) => ({ ...types, Server: server.Server, StreamableHTTPServerTransport: http.StreamableHTTPServerTransport })));

function buildServer(deps: ResolvedDeps, workspaceId: string, source: string, log: Logger, statusUrl: (runId: string) => string, { Server, CallToolRequestSchema, ListToolsRequestSchema, McpError, ErrorCode: McpErrorCode }: Awaited<ReturnType<typeof loadSdk>>): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } } });
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const tools = await listExposedTools(deps.store.workflows, workspaceId, log);
    return { tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema as { type: 'object' } })) };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tools = await listExposedTools(deps.store.workflows, workspaceId, log);
    const tool = tools.find((t) => t.name === request.params.name);
    if (!tool) throw new McpError(McpErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    log.info({ tool: tool.name, workflowId: tool.workflow.id, source }, 'mcp tool call');
    return callWorkflowTool(deps, { workspaceId, tool, args: request.params.arguments ?? {}, source, signal: extra.signal, statusUrl });
  });
  return server;
}

export function mcpRoutes(deps: ResolvedDeps): Route[] {
  const path = '/api/workspaces/:ws/mcp';
  const prefix = (deps.publicBaseUrl ?? '').replace(/\/+$/, '');
  return [
    defineRoute({
      method: 'post', path, summary: 'MCP endpoint (streamable HTTP, stateless): the workspace\'s exposed workflows as tools (docs/mcp.md)',
      tag: 'mcp', auth: 'workspace', permission: 'run:operate', params: WsParams, body: McpBody, extension: true,
      responses: withErrors({ 200: { description: 'JSON-RPC response(s)' }, 202: { description: 'Notification accepted' } }),
      async handle({ req, res, params, body, log, apiKey }) {
        const messages = Array.isArray(body) ? body : [body];
        const calls = messages.filter((m) => m['method'] === 'tools/call').length;
        if (calls > 1) throw validationError([{ path: 'body', message: 'at most one tools/call per request' }], 'Send one tools/call per request.');
        // A tool call holds its request open while the run goes on: it takes a stream slot of the key and the
        // workspace (429 OUT_ERR_QUOTA_STREAMS when none is free), like an SSE stream.
        if (calls === 1) res.on('close', deps.streams.acquire(apiKey?.id ?? 'anonymous', params.ws, deps.limits.forWorkspace(params.ws)));
        const init = messages.find((m) => m['method'] === 'initialize');
        // The client's identity rides on the session id it will send back (see client-identity.ts).
        if (init !== undefined) res.setHeader('mcp-session-id', sessionIdFor(init['params']));
        const source = triggerSource(identityOf(req.get('mcp-session-id')));
        const statusUrl = (runId: string) => `${prefix}/api/workspaces/${encodeURIComponent(params.ws)}/runs/${encodeURIComponent(runId)}`;
        const mcp = await loadSdk();
        const server = buildServer(deps, params.ws, source, log, statusUrl, mcp);
        // No sessionIdGenerator: the SDK's stateless mode (a fresh transport per request).
        const transport = new mcp.StreamableHTTPServerTransport({ enableJsonResponse: true });
        res.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, body);
      },
    }),
    defineRoute({
      method: 'get', path, summary: 'MCP server-initiated stream: not offered (405)', tag: 'mcp', auth: 'workspace', permission: 'workflow:read', params: WsParams, extension: true,
      responses: withErrors({ 405: { description: 'Stateless endpoint: POST only' } }),
      handle: async () => notAllowed,
    }),
    defineRoute({
      method: 'delete', path, summary: 'MCP session end: nothing to end (405)', tag: 'mcp', auth: 'workspace', permission: 'workflow:read', params: WsParams, extension: true,
      responses: withErrors({ 405: { description: 'Stateless endpoint: POST only' } }),
      handle: async () => notAllowed,
    }),
  ];
}
