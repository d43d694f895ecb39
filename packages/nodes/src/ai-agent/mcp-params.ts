/** MCP servers an `ai-agent` step attaches as tool sources (part of the node's `data`). */
import { z } from 'zod';

/** Prefix of the server's tools as the model sees them: `<name>__<tool>`. */
export const McpServerName = z.string().regex(/^[A-Za-z0-9_-]{1,24}$/, 'letters, digits, _ and - only (max 24)');

const common = {
  name: McpServerName.describe('Short name; the model sees the tools as <name>__<tool>'),
  /** Only these tools of the server are offered to the model. @default all of them */
  allowedTools: z.array(z.string().min(1).max(128)).max(128).optional().describe('Tool names offered to the model; empty = all the server lists'),
  /** One tool call (and the connection set-up) at most. @default 30000 */
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000).describe('Time limit of one tool call (ms)'),
};

/** A remote server over streamable HTTP, called through the runner's SSRF guard. */
export const McpHttpServerSpec = z.strictObject({
  type: z.literal('http'),
  ...common,
  url: z.string().min(1).max(2048).describe('Streamable HTTP endpoint, e.g. https://mcp.example.com/mcp'),
  /** An HTTP credential (`http_bearer`, `http_basic`, `http_header`) sent as the auth header, only to its allowed hosts. */
  credentialId: z.string().min(1).optional().describe('HTTP credential for the auth header (bearer, basic or a named header)'),
  headers: z.record(z.string(), z.string().max(4096)).optional().describe('Fixed headers sent on every request'),
});
export type McpHttpServerSpec = z.infer<typeof McpHttpServerSpec>;

/** A local command speaking MCP on stdin/stdout: only commands on the runner's `OUTRUN_MCP_STDIO_ALLOW` list. */
export const McpStdioServerSpec = z.strictObject({
  type: z.literal('stdio'),
  ...common,
  command: z.string().min(1).max(512).describe('Command as listed in the runner\'s OUTRUN_MCP_STDIO_ALLOW'),
  args: z.array(z.string().max(4096)).max(64).default([]).describe('Arguments'),
  env: z.record(z.string(), z.string().max(4096)).optional().describe('Extra environment (the runner\'s own is not inherited)'),
});
export type McpStdioServerSpec = z.infer<typeof McpStdioServerSpec>;

export const McpServerSpec = z.discriminatedUnion('type', [McpHttpServerSpec, McpStdioServerSpec]);
export type McpServerSpec = z.infer<typeof McpServerSpec>;

/** What the runner lends under `services.mcp` (from its environment). */
export const McpServices = z.object({
  /** Commands a stdio MCP server may run (exact match). @default [] (stdio off) */
  stdioAllowList: z.array(z.string()).default([]),
});
export type McpServices = z.infer<typeof McpServices>;
