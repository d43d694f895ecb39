'use client';
/**
 * A waiting approval step in the run view: what is asked, the form (from the node's JSON Schema: text, number,
 * yes/no and choice fields; anything else as JSON), and Approve / Reject. The API checks the answer against the
 * same schema and counts one decision (a second one answers 409).
 */
import { useState } from 'react';
import type { JsonValue, Run } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { InlineError } from '../states';

interface FieldSchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: JsonValue[];
}
interface ApprovalState {
  title?: string;
  instructions?: string;
  deadline?: number;
  form?: { properties?: Record<string, FieldSchema>; required?: string[] };
}

/** The approval a run waits for: its step id and saved state, or null. */
export function waitingApproval(run: Run): { stepId: string; state: ApprovalState } | null {
  if (!run.waitingFor?.startsWith('approval:')) return null;
  const stepId = run.waitingFor.slice('approval:'.length);
  const step = run.steps.find((s) => s.nodeId === stepId && s.status === 'waiting');
  const state = (step?.output as { state?: ApprovalState } | undefined)?.state;
  return step && state ? { stepId, state } : null;
}

function Field({ name, schema, required, value, onChange }: { name: string; schema: FieldSchema; required: boolean; value: JsonValue | undefined; onChange: (v: JsonValue | undefined) => void }) {
  const id = `approval-field-${name}`;
  const label = `${schema.title ?? name}${required ? ' *' : ''}`;
  let input;
  if (Array.isArray(schema.enum)) {
    input = (
      <select id={id} value={value === undefined ? '' : JSON.stringify(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : (JSON.parse(e.target.value) as JsonValue))}>
        <option value="">—</option>
        {schema.enum.map((o) => <option key={JSON.stringify(o)} value={JSON.stringify(o)}>{String(o)}</option>)}
      </select>
    );
  } else if (schema.type === 'boolean') {
    input = <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (schema.type === 'number' || schema.type === 'integer') {
    input = <input id={id} type="number" value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
  } else {
    input = <input id={id} type="text" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {input}
      {schema.description ? <div className="field-help">{schema.description}</div> : null}
    </div>
  );
}

export function ApprovalPanel({ api, run, onDecided }: { api: Api; run: Run; onDecided: () => void }) {
  const pending = waitingApproval(run);
  const [answer, setAnswer] = useState<Record<string, JsonValue>>({});
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!pending) return null;
  const { stepId, state } = pending;
  const properties = state.form?.properties ?? {};
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      await api.decideApproval(run.id, stepId, { decision, ...(state.form ? { answer } : {}), ...(comment ? { comment } : {}) });
      onDecided();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card stack" aria-label="Approval" data-testid="approval-panel">
      <div className="row">
        <h2 style={{ margin: 0 }}>{state.title ?? 'Approval needed'}</h2>
        <span className="badge badge-waiting">waiting</span>
        {state.deadline ? <span className="muted">decide before {new Date(state.deadline).toLocaleString()}</span> : null}
      </div>
      {state.instructions ? <p style={{ margin: 0 }}>{state.instructions}</p> : null}
      {Object.entries(properties).map(([name, schema]) => (
        <Field key={name} name={name} schema={schema} required={state.form?.required?.includes(name) ?? false} value={answer[name]}
          onChange={(v) => setAnswer((a) => {
            const next = { ...a };
            if (v === undefined) delete next[name];
            else next[name] = v;
            return next;
          })} />
      ))}
      <div className="field">
        <label htmlFor="approval-comment">Comment</label>
        <input id="approval-comment" type="text" value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <InlineError error={error} />
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void decide('approve')}>Approve</button>
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void decide('reject')}>Reject</button>
      </div>
    </section>
  );
}
