'use client';
/**
 * The workflow's own settings (shown when no node is selected): run timeout, retry policy, concurrency, the error
 * workflow (a picker of the workspace's other workflows) and the input schema (JSON, checked before it is kept).
 * Edits go to the draft like any other edit; out-of-range numbers are clamped to what the API accepts.
 */
import { memo, useEffect, useState } from 'react';
import type { Workflow } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';

type Settings = Workflow['settings'];
type Retry = Settings['retryPolicy'];

interface Props {
  api: Api;
  workflowId: string;
  settings: Settings;
  onChange: (next: Settings) => void;
}

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(n)));

/** Parses the input-schema text: empty = none; otherwise a JSON object with `"type": "object"`. */
export function parseInputSchema(text: string): { schema?: Record<string, unknown>; error?: string } {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  if (!isObject || (parsed as Record<string, unknown>)['type'] !== 'object') return { error: 'The input schema must be a JSON Schema object with "type": "object".' };
  return { schema: parsed as Record<string, unknown> };
}

function WorkflowSettingsPanelImpl({ api, workflowId, settings, onChange }: Props) {
  const others = useAsync(() => api.listWorkflows({ limit: 500 }).then((p) => p.items.filter((w) => w.id !== workflowId && w.status !== 'archived')), [api, workflowId]);
  const schemaOf = (s: Settings) => (s.inputSchema ? JSON.stringify(s.inputSchema, null, 2) : '');
  const [schemaText, setSchemaText] = useState(() => schemaOf(settings));
  const [schemaError, setSchemaError] = useState<string | null>(null);
  // Undo/redo, a reload or the MCP panel replace the schema: show what the draft holds.
  useEffect(() => setSchemaText(schemaOf(settings)), [settings.inputSchema]);
  const retry = settings.retryPolicy;
  const setRetry = (patch: Partial<Retry>) => onChange({ ...settings, retryPolicy: { ...retry, ...patch } });
  const applySchema = () => {
    const { schema, error } = parseInputSchema(schemaText);
    setSchemaError(error ?? null);
    if (error) return;
    const { inputSchema: _drop, ...rest } = settings;
    onChange(schema ? { ...rest, inputSchema: schema } : rest);
  };
  const setErrorWorkflow = (id: string) => {
    const { errorWorkflowId: _drop, ...rest } = settings;
    onChange(id ? { ...rest, errorWorkflowId: id } : rest);
  };

  return (
    <section className="stack" aria-label="Workflow settings">
      <h2>Workflow settings</h2>
      <label>
        Run timeout (seconds)
        <input type="number" name="timeout" min={1} max={604800} value={Math.round(settings.timeout / 1000)} onChange={(e) => onChange({ ...settings, timeout: clamp(Number(e.target.value) || 1, 1, 604_800) * 1000 })} />
      </label>
      <label>
        Runs at once (concurrency)
        <input type="number" name="concurrency" min={1} max={1000} value={settings.concurrency} onChange={(e) => onChange({ ...settings, concurrency: clamp(Number(e.target.value) || 1, 1, 1000) })} />
      </label>
      <fieldset className="stack">
        <legend>Retry policy</legend>
        <label>
          Retries after the first attempt
          <input type="number" name="maxRetries" min={0} max={100} value={retry.maxRetries} onChange={(e) => setRetry({ maxRetries: clamp(Number(e.target.value) || 0, 0, 100) })} />
        </label>
        <label>
          Backoff
          <select name="backoffStrategy" value={retry.backoffStrategy} onChange={(e) => setRetry({ backoffStrategy: e.target.value as Retry['backoffStrategy'] })}>
            <option value="exponential">exponential</option>
            <option value="linear">linear</option>
            <option value="fixed">fixed</option>
          </select>
        </label>
        <label>
          First wait (ms)
          <input type="number" name="initialDelay" min={0} max={86400000} value={retry.initialDelay} onChange={(e) => setRetry({ initialDelay: clamp(Number(e.target.value) || 0, 0, 86_400_000) })} />
        </label>
        <label>
          Longest wait (ms)
          <input type="number" name="maxDelay" min={0} max={86400000} value={retry.maxDelay} onChange={(e) => setRetry({ maxDelay: clamp(Number(e.target.value) || 0, 0, 86_400_000) })} />
        </label>
      </fieldset>
      <label>
        Error workflow
        <select name="errorWorkflowId" value={settings.errorWorkflowId ?? ''} onChange={(e) => setErrorWorkflow(e.target.value)}>
          <option value="">None</option>
          {settings.errorWorkflowId && !others.data?.some((w) => w.id === settings.errorWorkflowId) ? <option value={settings.errorWorkflowId}>{settings.errorWorkflowId}</option> : null}
          {(others.data ?? []).map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
        <span className="field-help">Started once for each failed run of this workflow, with what failed.</span>
      </label>
      <label>
        Input schema (JSON Schema, type object)
        <textarea name="inputSchema" rows={5} className="mono" value={schemaText} aria-invalid={schemaError !== null} placeholder='{"type": "object", "properties": {"email": {"type": "string"}}}' onChange={(e) => setSchemaText(e.target.value)} onBlur={applySchema} />
      </label>
      {schemaError ? (
        <div className="field-error" role="alert">
          {schemaError}
        </div>
      ) : (
        <div className="field-help">What callers (a workflow node, an MCP client) must send; empty = any object. Kept when the field loses focus.</div>
      )}
    </section>
  );
}

export const WorkflowSettingsPanel = memo(WorkflowSettingsPanelImpl);
