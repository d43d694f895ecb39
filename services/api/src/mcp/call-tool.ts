/**
 * `tools/call` of the workspace MCP endpoint: validate the arguments against the workflow's declared input
 * schema, accept a run (recorded like any other, `triggeredBy.source` naming the MCP client), wait for it up
 * to `settings.mcp.waitMs`, and answer with its output — or with the run id while it is still running.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { waitForRun } from '@outrun/queue';
import { ErrorCode, type JsonValue, type Run } from '@outrun/schemas';
import { z } from 'zod';
import type { ResolvedDeps } from '../deps';
import type { ExposedTool } from './exposed-tools';

/** Output text handed back to the client at most (a run's output is bounded by the store, this by the model's context). */
const MAX_RESULT_CHARS = 100_000;
const schemaCache = new Map<string, z.ZodType>();

/** The zod validator of a declared input schema (cached by its JSON text; bounded). */
function validatorFor(schema: Record<string, unknown>): z.ZodType | null {
  const key = JSON.stringify(schema);
  const hit = schemaCache.get(key);
  if (hit) return hit;
  let converted: z.ZodType;
  try {
    converted = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return null;
  }
  if (schemaCache.size >= 500) schemaCache.clear();
  schemaCache.set(key, converted);
  return converted;
}

function textResult(value: unknown, isError: boolean, meta: Record<string, unknown>): CallToolResult {
  const text = JSON.stringify(value) ?? 'null';
  const structured = !isError && typeof value === 'object' && value !== null && !Array.isArray(value) && text.length <= MAX_RESULT_CHARS;
  return {
    content: [{ type: 'text', text: text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…(truncated)` : text }],
    ...(structured ? { structuredContent: value as Record<string, unknown> } : {}),
    ...(isError ? { isError: true } : {}),
    _meta: meta,
  };
}

/** A tool error the model can read: `{error: {code, message, details?}}`. */
export function toolError(code: string, message: string, details?: Array<{ path: string; message: string }>, meta: Record<string, unknown> = {}): CallToolResult {
  return textResult({ error: { code, message, ...(details ? { details } : {}) } }, true, meta);
}

function runResult(run: Run, statusUrl: string): CallToolResult {
  const meta = { 'outrun/runId': run.id, 'outrun/status': run.status, 'outrun/statusUrl': statusUrl };
  if (run.status === 'completed') return textResult(run.output ?? null, false, meta);
  const error = run.error ?? { code: ErrorCode.NODE_FAILED, message: `The run ended ${run.status}.` };
  return toolError(error.code, error.message, undefined, meta);
}

export interface CallToolInput {
  workspaceId: string;
  tool: ExposedTool;
  args: Record<string, unknown>;
  source: string;
  signal: AbortSignal;
  statusUrl: (runId: string) => string;
}

export async function callWorkflowTool(deps: ResolvedDeps, input: CallToolInput): Promise<CallToolResult> {
  const { tool, args } = input;
  const validator = validatorFor(tool.inputSchema);
  if (validator === null) return toolError(ErrorCode.VALIDATION, `The input schema of workflow ${tool.workflow.id} cannot be used; fix settings.inputSchema.`);
  const parsed = validator.safeParse(args);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: ['arguments', ...i.path].join('.'), message: i.message }));
    return toolError(ErrorCode.VALIDATION, `Invalid arguments for tool ${tool.name}.`, details);
  }
  const wf = tool.workflow;
  const triggerId = (wf.triggers.find((t) => t.type === 'manual') ?? wf.triggers[0])?.id;
  const { run } = await deps.lifecycle.accept(input.workspaceId, {
    workflowId: wf.id,
    workflowVersion: wf.version,
    triggeredBy: { type: 'manual', source: input.source, payload: args as JsonValue, ...(triggerId === undefined ? {} : { triggerId }) },
  });
  const statusUrl = input.statusUrl(run.id);
  const done = await waitForRun({ runs: deps.store.runs, events: deps.events, workspaceId: input.workspaceId, runId: run.id, timeoutMs: tool.mcp.waitMs, signal: input.signal });
  if (done !== null) return runResult(done, statusUrl);
  // Still running: not an error — the client can follow the run through the REST API.
  return textResult({ runId: run.id, status: 'running', statusUrl, message: `The run is still going after ${tool.mcp.waitMs} ms; read statusUrl for its output.` }, false, {
    'outrun/runId': run.id, 'outrun/status': 'running', 'outrun/statusUrl': statusUrl,
  });
}
