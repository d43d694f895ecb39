/** MCP tool names, without zod (the web editor imports this file alone: `@outrun/schemas/mcp-tool-name`). */

/** What MCP clients and model APIs accept as a tool name. */
export const MCP_TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The tool name of a workflow without `settings.mcp.toolName`: `Lead intake (v2)` → `Lead_intake_v2`. */
export function defaultMcpToolName(workflowName: string): string {
  const slug = workflowName.trim().replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return slug === '' ? 'workflow' : slug;
}
