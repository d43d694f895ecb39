'use client';
/**
 * Workflow settings for the workspace MCP server (docs/mcp.md): expose this workflow as an MCP tool while it is
 * active, its tool name and description, how long a call waits for the run, and the input schema the tool
 * declares (also what the arguments are validated against).
 */
import { memo, useEffect, useState } from 'react';
import type { Workflow, WorkflowMcpSettings } from '@outrun/schemas';
import { defaultMcpToolName, MCP_TOOL_NAME_PATTERN } from '@outrun/schemas/mcp-tool-name';
import { CopyButton } from '../dialog';

type Settings = Workflow['settings'];

interface Props {
  settings: Settings;
  workflowName: string;
  /** The workspace's MCP endpoint, for the copy button. */
  endpoint: string;
  onChange: (next: Settings) => void;
}

const DEFAULT_WAIT_MS = 30_000;

function parseSchema(text: string): { schema?: Record<string, unknown>; error?: string } {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    const isObjectSchema = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && (parsed as Record<string, unknown>)['type'] === 'object';
    return isObjectSchema ? { schema: parsed as Record<string, unknown> } : { error: 'The input schema must be a JSON Schema with "type": "object".' };
  } catch {
    return { error: 'The input schema is not valid JSON.' };
  }
}

function McpToolSettingsImpl({ settings, workflowName, endpoint, onChange }: Props) {
  const mcp: WorkflowMcpSettings = settings.mcp ?? { expose: false, waitMs: DEFAULT_WAIT_MS };
  const [schemaText, setSchemaText] = useState(() => (settings.inputSchema ? JSON.stringify(settings.inputSchema, null, 2) : ''));
  const [schemaError, setSchemaError] = useState<string | null>(null);
  // Undo/redo or a reload replace the settings: show what they hold.
  useEffect(() => setSchemaText(settings.inputSchema ? JSON.stringify(settings.inputSchema, null, 2) : ''), [settings.inputSchema]);
  const setMcp = (patch: Partial<WorkflowMcpSettings>) => {
    const next = { ...mcp, ...patch };
    for (const key of ['toolName', 'description'] as const) if (next[key] === '') delete next[key];
    onChange({ ...settings, mcp: next });
  };
  const nameOk = mcp.toolName === undefined || MCP_TOOL_NAME_PATTERN.test(mcp.toolName);
  const applySchema = () => {
    const { schema, error } = parseSchema(schemaText);
    setSchemaError(error ?? null);
    if (error) return;
    const { inputSchema: _drop, ...rest } = settings;
    onChange(schema ? { ...rest, inputSchema: schema } : rest);
  };

  return (
    <section className="stack" aria-label="MCP tool">
      <h2>MCP tool</h2>
      <div className="field-help">While the workflow is active, MCP clients (Claude Desktop, IDEs, agents) with a workspace API key can call it as a tool; the result is the run&apos;s output.</div>
      <label className="check">
        <input type="checkbox" checked={mcp.expose} onChange={(e) => setMcp({ expose: e.target.checked })} /> Expose as MCP tool
      </label>
      {mcp.expose ? (
        <>
          <label>
            Tool name
            <input value={mcp.toolName ?? ''} placeholder={defaultMcpToolName(workflowName)} aria-invalid={!nameOk} onChange={(e) => setMcp({ toolName: e.target.value })} />
          </label>
          {!nameOk ? <div className="field-error" role="alert">Letters, digits, _ and - only (at most 64).</div> : null}
          <label>
            Description (what the model reads)
            <textarea rows={2} value={mcp.description ?? ''} placeholder={`Runs the Outrun workflow "${workflowName}".`} onChange={(e) => setMcp({ description: e.target.value })} />
          </label>
          <label>
            Wait for the run (ms)
            <input type="number" min={1000} max={300000} step={1000} value={mcp.waitMs} onChange={(e) => setMcp({ waitMs: Math.min(300_000, Math.max(1_000, Number(e.target.value) || DEFAULT_WAIT_MS)) })} />
          </label>
          <div className="field-help">Past this wait the call answers with the run id; the run goes on.</div>
          <label>
            Input schema (JSON Schema, type object)
            <textarea rows={6} className="mono" value={schemaText} aria-invalid={schemaError !== null} placeholder='{"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"]}' onChange={(e) => setSchemaText(e.target.value)} onBlur={applySchema} />
          </label>
          {schemaError ? <div className="field-error" role="alert">{schemaError}</div> : <div className="field-help">Arguments are checked against it before a run starts; empty = any object. The trigger node outputs the arguments.</div>}
          <label>
            MCP endpoint (streamable HTTP, Bearer API key)
            <span className="row">
              <input readOnly value={endpoint} aria-label="MCP endpoint" style={{ flex: 1 }} />
              <CopyButton text={endpoint} />
            </span>
          </label>
        </>
      ) : null}
    </section>
  );
}

export const McpToolSettings = memo(McpToolSettingsImpl);
