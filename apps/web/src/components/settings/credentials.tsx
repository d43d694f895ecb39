'use client';
/** Credentials: create (the data is write-only, never shown again), list metadata, delete. */
import { useState, type FormEvent } from 'react';
import type { CredentialType, JsonObject } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { formatAgo } from '../../lib/format';
import { Empty, ErrorState, InlineError, Loading } from '../states';

// A local list (a runtime import of @outrun/schemas would ship zod to the browser); `satisfies` keeps it in sync.
const CREDENTIAL_TYPES = ['http_bearer', 'http_header', 'http_basic', 'openai', 'webhook_secret', 'generic'] as const satisfies readonly CredentialType[];

const EXAMPLES: Record<string, string> = {
  http_bearer: '{ "token": "…" }',
  http_header: '{ "name": "x-api-key", "value": "…" }',
  http_basic: '{ "username": "…", "password": "…" }',
  openai: '{ "apiKey": "sk-…", "baseUrl": "https://api.openai.com/v1", "apiMode": "chat_completions" }',
  webhook_secret: '{ "secrets": ["whsec_…"] }',
  generic: '{ "key": "value" }',
};

export function Credentials({ api }: { api: Api }) {
  const list = useAsync(() => api.listCredentials(), [api]);
  const [name, setName] = useState('');
  const [type, setType] = useState<string>('http_bearer');
  const [data, setData] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return setFormError('Data must be a JSON object.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return setFormError('Data must be a JSON object.');
    setFormError(null);
    try {
      await api.createCredential({ name: name.trim(), type: type as CredentialType, data: parsed as JsonObject });
      setName('');
      setData('');
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card stack" aria-label="Credentials">
      <h2>Credentials</h2>
      <p className="muted" style={{ margin: 0 }}>Stored encrypted; nodes refer to them by id. The secret data is never shown again.</p>
      <form className="stack" onSubmit={(e) => void create(e)}>
        <div className="row">
          <label style={{ flex: 1 }}>Name<input required value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>Type<select value={type} onChange={(e) => setType(e.target.value)}>{CREDENTIAL_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}</select></label>
        </div>
        <label>Data (JSON)<textarea rows={3} value={data} onChange={(e) => setData(e.target.value)} placeholder={EXAMPLES[type]} aria-invalid={formError !== null} />{formError ? <span className="field-error">{formError}</span> : null}</label>
        <div><button type="submit" className="btn btn-primary">Create credential</button></div>
      </form>
      <InlineError error={error} />
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : !list.data ? <Loading /> : list.data.length === 0 ? <Empty title="No credentials." /> : (
        <table className="table">
          <thead><tr><th>Name</th><th>Type</th><th>Id</th><th>Updated</th><th /></tr></thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td><td>{c.type}</td><td className="mono">{c.id}</td><td>{formatAgo(c.updatedAt)}</td>
                <td><button type="button" className="btn btn-sm btn-danger" onClick={() => { if (window.confirm(`Delete credential “${c.name}”?`)) void api.deleteCredential(c.id).then(list.reload, setError); }}>Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
