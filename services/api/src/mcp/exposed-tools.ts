/**
 * Which workflows of a workspace the MCP endpoint lists as tools: active ones with `settings.mcp.expose`,
 * named by `settings.mcp.toolName` (default: the workflow name reduced to letters, digits, _ and -), with
 * the workflow's declared `settings.inputSchema` as the tool's input schema.
 */
import type { Logger } from '@outrun/config';
import { defaultMcpToolName, type JsonObjectSchema, type Workflow, type WorkflowMcpSettings } from '@outrun/schemas';
import type { WorkflowStore } from '@outrun/store';

/** One workflow as an MCP tool. */
export interface ExposedTool {
  name: string;
  description: string;
  inputSchema: JsonObjectSchema;
  workflow: Workflow;
  mcp: WorkflowMcpSettings;
}

/** Workflows scanned per listing at most: a workspace's tool list stays bounded in time and memory. */
export const MAX_WORKFLOWS_SCANNED = 2_000;
/** A workflow without a declared input accepts any object. */
const ANY_OBJECT: JsonObjectSchema = { type: 'object', additionalProperties: true };

function toTool(workflow: Workflow, mcp: WorkflowMcpSettings): ExposedTool {
  return {
    name: mcp.toolName ?? defaultMcpToolName(workflow.name),
    description: mcp.description ?? workflow.description ?? `Runs the Outrun workflow "${workflow.name}".`,
    inputSchema: workflow.settings.inputSchema ?? ANY_OBJECT,
    workflow,
    mcp,
  };
}

/** The workspace's exposed tools, in list order; a later workflow claiming a taken name is left out (and logged). */
export async function listExposedTools(workflows: WorkflowStore, workspaceId: string, log: Logger): Promise<ExposedTool[]> {
  const tools = new Map<string, ExposedTool>();
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await workflows.listWorkflows(workspaceId, { status: 'active', limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    for (const wf of page.items) {
      const mcp = wf.settings.mcp;
      if (wf.status !== 'active' || mcp?.expose !== true) continue;
      const tool = toTool(wf, mcp);
      if (tools.has(tool.name)) {
        log.warn({ workflowId: wf.id, toolName: tool.name }, 'two exposed workflows share an MCP tool name; the later one is not listed');
        continue;
      }
      tools.set(tool.name, tool);
    }
    scanned += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && scanned < MAX_WORKFLOWS_SCANNED);
  return [...tools.values()];
}
