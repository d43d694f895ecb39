/**
 * MCP (Model Context Protocol) shapes shared by the API's MCP server, the editor and the ai-agent node:
 * how a workflow is exposed as an MCP tool, and the JSON Schema a workflow declares for its input.
 */
import { z } from 'zod';
import { MCP_TOOL_NAME_PATTERN } from './mcp-tool-name';

export { defaultMcpToolName, MCP_TOOL_NAME_PATTERN } from './mcp-tool-name';

/** Tool names as MCP clients and model APIs accept them. */
export const McpToolName = z.string().regex(MCP_TOOL_NAME_PATTERN, 'letters, digits, _ and - only (max 64)');
export type McpToolName = z.infer<typeof McpToolName>;

/** A JSON Schema of an object (a workflow's declared input, an MCP tool's input). */
export const JsonObjectSchema = z
  .record(z.string(), z.unknown())
  .refine((s) => s['type'] === 'object', { message: 'must be a JSON Schema with type "object"' });
export type JsonObjectSchema = z.infer<typeof JsonObjectSchema>;

/** `settings.mcp` of a workflow: whether (and how) the workspace's MCP endpoint lists it as a tool. */
export const WorkflowMcpSettings = z.strictObject({
  /** Listed as a tool while the workflow is active. @default false */
  expose: z.boolean().default(false),
  /** @default the workflow name, reduced to letters, digits, _ and - */
  toolName: McpToolName.optional(),
  /** @default the workflow description, else its name */
  description: z.string().max(2000).optional(),
  /** How long a tool call waits for the run; past it the call answers with the run id. @default 30000 */
  waitMs: z.number().int().min(1_000).max(300_000).default(30_000),
});
export type WorkflowMcpSettings = z.infer<typeof WorkflowMcpSettings>;

