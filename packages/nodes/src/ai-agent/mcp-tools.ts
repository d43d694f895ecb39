/**
 * The tools of the step's MCP servers as Agents SDK function tools, named `<server>__<tool>` (sanitized to
 * what model APIs accept). Calls are recorded in the step like the built-in tools (name, arguments, result,
 * duration); an MCP error result or a failed call goes back to the model as `{error: {code, message}}`.
 */
import { tool, type Tool } from '@openai/agents-core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ErrorCode, NonRetriableError, OperationalError, OutrunError, type JsonValue } from '@outrun/schemas';
import { toJson } from '../shared/to-json';
import { fatal, recordCall, toolError, type ToolRuntime } from './agent-tools';
import { openMcpConnection, type McpConnection } from './mcp-connection';
import type { McpServerSpec } from './mcp-params';

const Args = z.record(z.string(), z.unknown());

/** `github` + `search.issues` → `github__search_issues` (≤ 64 characters). */
export function exposedToolName(server: string, toolName: string): string {
  return `${server}__${toolName.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);
}

/** A result recorded in the step (and handed to the model) at most: a server's answer must not bloat the run. */
const MAX_RECORDED_CHARS = 64_000;

function bounded(value: JsonValue): JsonValue {
  const text = JSON.stringify(value);
  return text.length > MAX_RECORDED_CHARS ? { truncated: true, chars: text.length, preview: text.slice(0, 16_000) } : value;
}

function contentJson(result: CallToolResult): JsonValue {
  return bounded(rawContentJson(result));
}

function rawContentJson(result: CallToolResult): JsonValue {
  if (result.structuredContent !== undefined) return toJson(result.structuredContent);
  const parts = result.content.map((c): JsonValue => {
    if (c.type === 'text') return c.text;
    if (c.type === 'image' || c.type === 'audio') return { type: c.type, mimeType: c.mimeType, bytes: Math.floor((c.data.length * 3) / 4) };
    if (c.type === 'resource_link') return { type: c.type, uri: c.uri, name: c.name };
    return { type: c.type, uri: c.resource.uri };
  });
  if (parts.length === 1 && typeof parts[0] === 'string') {
    try {
      return JSON.parse(parts[0]) as JsonValue;
    } catch {
      return parts[0];
    }
  }
  return parts;
}

async function callMcp(conn: McpConnection, toolName: string, args: Record<string, unknown>, rt: ToolRuntime): Promise<JsonValue> {
  if (conn.spec.type === 'http') rt.httpCalls += 1;
  let result: CallToolResult;
  try {
    result = await conn.callTool(toolName, args, rt.signal);
  } catch (err) {
    if (rt.signal.aborted || err instanceof OutrunError) throw err;
    throw new OperationalError(ErrorCode.NETWORK, `MCP server "${conn.spec.name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const body = contentJson(result);
  if (result.isError === true) throw new NonRetriableError(ErrorCode.NODE_FAILED, typeof body === 'string' ? body : JSON.stringify(body));
  return body;
}

function mcpTool(conn: McpConnection, def: McpConnection['tools'][number], name: string, rt: ToolRuntime): Tool {
  const options = {
    name,
    description: (def.description ?? def.title ?? def.name).slice(0, 1024),
    parameters: { ...def.inputSchema, type: 'object' },
    // Server schemas are not written for strict mode; the server validates its own arguments.
    strict: false,
    execute: (raw: unknown) => recordCall(rt, name, Args, raw, (args) => callMcp(conn, def.name, args, rt)),
    errorFunction: (_runContext: unknown, error: unknown) => {
      if (fatal(error, rt)) throw error;
      return JSON.stringify(toolError(error));
    },
  };
  return tool(options as unknown as Parameters<typeof tool>[0]) as unknown as Tool;
}

/** The step's MCP servers, connected, and their tools. Close them when the step ends. */
export interface McpToolset {
  tools: Tool[];
  connections: McpConnection[];
  close(): Promise<void>;
}

/** Connects every server (in parallel); one that cannot be reached fails the step. */
export async function openMcpToolset(specs: readonly McpServerSpec[], rt: ToolRuntime, taken: ReadonlySet<string>): Promise<McpToolset> {
  const settled = await Promise.allSettled(specs.map((spec, i) => openMcpConnection(spec, i, rt.ctx.services, rt.signal)));
  const connections = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const close = async () => {
    await Promise.all(connections.map((c) => c.close()));
  };
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  const names = new Set(taken);
  const tools: Tool[] = [];
  for (const conn of connections) {
    for (const def of conn.tools) {
      const name = exposedToolName(conn.spec.name, def.name);
      if (names.has(name)) continue; // a clash after sanitizing: the first one wins
      names.add(name);
      tools.push(mcpTool(conn, def, name, rt));
    }
  }
  return { tools, connections, close };
}
