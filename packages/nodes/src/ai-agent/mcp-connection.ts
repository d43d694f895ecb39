/**
 * One MCP server attached to an `ai-agent` step, through the official SDK's `Client`: streamable HTTP through
 * the SSRF-guarded fetch (same policy and allow list as the nodes' HTTP client, credential headers only to the
 * credential's allowed hosts), or a local command on the runner's stdio allow list. A call that fails because
 * the server went away before receiving it (connection refused/reset, session unknown after a restart, stdio
 * process gone) reconnects once and is sent again; every other failure goes back to the model.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode as McpErrorCode, McpError, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, NonRetriableError, OperationalError, OutrunError } from '@outrun/schemas';
import type { NodeServices } from '@outrun/engine';
import { getAiServices } from '../ai';
import { createGuardedFetch, type GuardedFetch } from '../http/create-guarded-fetch';
import { assertCredentialHost } from '../shared/credential-host';
import { credentialHeaders } from './credential-headers';
import { McpServices, type McpHttpServerSpec, type McpServerSpec, type McpStdioServerSpec } from './mcp-params';

/** Tools listed per server at most (pages followed until then). */
const MAX_TOOLS = 128;
const CLIENT_INFO = { name: 'outrun-ai-agent', version: '1.0.0' };
const GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export interface McpConnection {
  readonly spec: McpServerSpec;
  /** The server's tools (after `allowedTools`). */
  readonly tools: McpTool[];
  /** Times the connection was re-established after the server went away. */
  readonly reconnects: number;
  callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult>;
  close(): Promise<void>;
}

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** The server did not get the request: it is safe to reconnect and send it again. */
function serverWentAway(err: unknown): boolean {
  return causes(err).some((e) =>
    (e instanceof StreamableHTTPError && e.code === 404) ||
    (e instanceof McpError && e.code === McpErrorCode.ConnectionClosed) ||
    GONE.has(String((e as { code?: unknown }).code)));
}

/** Our own refusals (SSRF, credential host) as they are; the rest as a retriable or permanent connect error. */
function connectError(spec: McpServerSpec, err: unknown): OutrunError {
  const own = causes(err).find((e): e is OutrunError => e instanceof OutrunError);
  if (own) return own;
  const message = `MCP server "${spec.name}" could not be reached: ${err instanceof Error ? err.message : String(err)}`;
  const status = causes(err).find((e): e is StreamableHTTPError => e instanceof StreamableHTTPError)?.code;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return new NonRetriableError(ErrorCode.HTTP_STATUS, message, { cause: err });
  return new OperationalError(ErrorCode.NETWORK, message, { cause: err });
}

interface HttpPlan {
  url: URL;
  headers: Record<string, string>;
  guarded: GuardedFetch;
}

async function planHttp(spec: McpHttpServerSpec, index: number, services: NodeServices): Promise<HttpPlan> {
  const url = URL.parse(spec.url);
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, `MCP server "${spec.name}": url must be http(s)`, { details: [{ path: `data.mcpServers.${index}.url`, message: 'not an http(s) URL' }] });
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = v;
  let secret: Record<string, string> = {};
  if (spec.credentialId !== undefined) {
    await assertCredentialHost(services, spec.credentialId, url, `data.mcpServers.${index}.url`);
    const data = services.credentials ? await services.credentials.get(spec.credentialId) : null;
    if (data === null) throw new NonRetriableError(ErrorCode.CREDENTIAL_NOT_FOUND, `Credential ${spec.credentialId} not found in this workspace`);
    secret = credentialHeaders(spec.credentialId, data);
    Object.assign(headers, secret);
  }
  // The same policy as the HTTP client: the runner passes OUTRUN_HTTP_ALLOW_LIST as services.ai.allowList.
  const ai = getAiServices(services);
  const guarded = createGuardedFetch({ allowList: ai.allowList ?? [], allowPrivateNetwork: ai.allowPrivateNetwork ?? false, sensitiveHeaders: Object.keys(secret) });
  return { url, headers, guarded };
}

function stdioTransport(spec: McpStdioServerSpec, index: number, services: NodeServices): StdioClientTransport {
  const allowed = McpServices.parse(services['mcp'] ?? {}).stdioAllowList;
  if (!allowed.includes(spec.command)) {
    throw new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, `MCP server "${spec.name}": command "${spec.command}" is not on this instance's stdio allow list (OUTRUN_MCP_STDIO_ALLOW)`, {
      details: [{ path: `data.mcpServers.${index}.command`, message: 'not allow-listed' }],
    });
  }
  // Only the SDK's minimal environment (PATH, HOME, …) plus the node's own: the runner's secrets stay out.
  return new StdioClientTransport({ command: spec.command, args: spec.args, env: { ...getDefaultEnvironment(), ...(spec.env ?? {}) }, stderr: 'ignore' });
}

async function listAllTools(client: Client, spec: McpServerSpec, signal: AbortSignal): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { signal, timeout: spec.timeoutMs });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined && tools.length < MAX_TOOLS);
  const allowed = spec.allowedTools ? new Set(spec.allowedTools) : null;
  return tools.slice(0, MAX_TOOLS).filter((t) => allowed === null || allowed.has(t.name));
}

/** Connects to the server and lists its tools. @throws the refusal or connect error (the step fails). */
export async function openMcpConnection(spec: McpServerSpec, index: number, services: NodeServices, signal: AbortSignal): Promise<McpConnection> {
  const plan = spec.type === 'http' ? await planHttp(spec, index, services) : null;
  const connect = async (): Promise<Client> => {
    const client = new Client(CLIENT_INFO);
    const transport = plan
      ? new StreamableHTTPClientTransport(plan.url, { fetch: plan.guarded.fetch, requestInit: { headers: plan.headers } })
      : stdioTransport(spec as McpStdioServerSpec, index, services);
    await client.connect(transport, { signal, timeout: spec.timeoutMs });
    return client;
  };
  let client: Client;
  let tools: McpTool[];
  try {
    client = await connect();
    tools = await listAllTools(client, spec, signal);
  } catch (err) {
    await plan?.guarded.close();
    if (signal.aborted) throw signal.reason;
    throw connectError(spec, err);
  }
  let reconnects = 0;
  const call = (name: string, args: Record<string, unknown>, callSignal: AbortSignal) =>
    client.callTool({ name, arguments: args }, undefined, { signal: callSignal, timeout: spec.timeoutMs }) as Promise<CallToolResult>;
  return {
    spec,
    tools,
    get reconnects() {
      return reconnects;
    },
    async callTool(name, args, callSignal) {
      try {
        return await call(name, args, callSignal);
      } catch (err) {
        if (callSignal.aborted || !serverWentAway(err)) throw err;
        // The server restarted (or the process died) before it got the call: a new session, then once more.
        await client.close().catch(() => undefined);
        try {
          client = await connect();
        } catch (reconnectErr) {
          throw connectError(spec, reconnectErr);
        }
        reconnects += 1;
        return call(name, args, callSignal);
      }
    },
    async close() {
      await client.close().catch(() => undefined);
      await plan?.guarded.close();
    },
  };
}
