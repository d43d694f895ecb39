'use client';
/** Credentials: create (the data is write-only, never shown again; the hosts it may be sent to), list metadata, delete. */
import { useState, type FormEvent } from 'react';
import type { CredentialType, JsonObject } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { formatAgo } from '../../lib/format';
import { Empty, ErrorState, InlineError, Loading } from '../states';
import { CredentialTest } from './credential-test';

// A local list (a runtime import of @outrun/schemas would ship zod to the browser); `satisfies` keeps it in sync.
const CREDENTIAL_TYPES = ['http_bearer', 'http_header', 'http_basic', 'openai', 'webhook_secret', 'generic'] as const satisfies readonly CredentialType[];

const EXAMPLES: Record<string, string> = {
  http_bearer: '{ "token": "…" }',
  http_header: '{ "name": "x-api-key", "value": "…" }',
  http_basic: '{ "username": "…", "password": "…" }',
  openai: '{ "apiKey": "sk-…", "baseURL": "https://api.openai.com/v1", "apiMode": "chat_completions" }',
  webhook_secret: '{ "secrets": ["whsec_…"] }',
  generic: '{ "key": "value" }',
};

/** Types sent over HTTP: they need at least one allowed host (the API refuses them without). */
const SENT_OVER_HTTP = new Set<string>(['http_bearer', 'http_header', 'http_basic', 'openai']);
const HOSTS_EXAMPLE: Record<string, string> = { openai: 'https://api.openai.com' };

/** "a, b\nc" → ["a", "b", "c"]. */
const splitHosts = (text: string): string[] => text.split(/[\s,]+/).map((h) => h.trim()).filter(Boolean);

export function Credentials({ api }: { api: Api }) {
  const list = useAsync(() => api.listCredentials(), [api]);
  const [name, setName] = useState('');
  const [type, setType] = useState<string>('http_bearer');
  const [data, setData] = useState('');
  const [hosts, setHosts] = useState('');
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
    const allowedHosts = type === 'webhook_secret' ? [] : splitHosts(hosts);
    if (SENT_OVER_HTTP.has(type) && allowedHosts.length === 0) return setFormError('Name at least one allowed host this credential may be sent to.');
    setFormError(null);
    try {
      await api.createCredential({ name: name.trim(), type: type as CredentialType, data: parsed as JsonObject, allowedHosts });
      setName('');
      setData('');
      setHosts('');
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
        <label>Data (JSON)<textarea rows={3} value={data} onChange={(e) => setData(e.target.value)} placeholder={EXAMPLES[type]} aria-invalid={formError !== null} /></label>
        {type === 'webhook_secret' ? null : (
          <label>
            Allowed hosts{SENT_OVER_HTTP.has(type) ? ' (required)' : ''}
            <input name="allowedHosts" value={hosts} onChange={(e) => setHosts(e.target.value)} placeholder={HOSTS_EXAMPLE[type] ?? 'https://api.example.com, *.example.com'} />
            <span className="muted">Where this credential may be sent: origins, hosts or *.domains, comma separated. Steps sending it anywhere else fail.</span>
          </label>
        )}
        {type === 'generic' ? <CredentialTest api={api} data={() => { try { const v: unknown = JSON.parse(data); return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : 'Data must be a JSON object.'; } catch { return 'Data must be a JSON object.'; } }} /> : null}
        {formError ? <span className="field-error">{formError}</span> : null}
        <div><button type="submit" className="btn btn-primary">Create credential</button></div>
      </form>
      <InlineError error={error} />
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : !list.data ? <Loading /> : list.data.length === 0 ? <Empty title="No credentials." /> : (
        <table className="table">
          <thead><tr><th>Name</th><th>Type</th><th>Allowed hosts</th><th>Id</th><th>Updated</th><th /></tr></thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td><td>{c.type}</td><td className="mono">{c.type === 'webhook_secret' ? '—' : c.allowedHosts.length > 0 ? c.allowedHosts.join(', ') : 'none (PATCH to set)'}</td><td className="mono">{c.id}</td><td>{formatAgo(c.updatedAt)}</td>
                <td><button type="button" className="btn btn-sm btn-danger" onClick={() => { if (window.confirm(`Delete credential “${c.name}”?`)) void api.deleteCredential(c.id).then(list.reload, setError); }}>Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
