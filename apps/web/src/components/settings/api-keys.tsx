'use client';
/** API keys of the workspace: create (the secret is shown once), list, revoke. */
import { useState } from 'react';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { formatAgo } from '../../lib/format';
import { CopyButton, Dialog } from '../dialog';
import { Empty, ErrorState, InlineError, Loading } from '../states';

export function ApiKeys({ api }: { api: Api }) {
  const keys = useAsync(() => api.listApiKeys(), [api]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card stack" aria-label="API keys">
      <h2>API keys</h2>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void run(async () => { const k = await api.createApiKey(name.trim() || undefined); setCreated(k.apiKey); setName(''); }); }}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Key name (optional)" aria-label="New key name" />
        <button type="submit" className="btn btn-primary">Create key</button>
      </form>
      <InlineError error={error} />
      {keys.error ? <ErrorState error={keys.error} onRetry={keys.reload} /> : !keys.data ? <Loading /> : keys.data.length === 0 ? <Empty title="No API keys." /> : (
        <table className="table">
          <thead><tr><th>Name</th><th>Prefix</th><th>Created</th><th>Last used</th><th /></tr></thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name ?? <span className="muted">unnamed</span>}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{formatAgo(k.createdAt)}</td>
                <td>{formatAgo(k.lastUsedAt)}</td>
                <td><button type="button" className="btn btn-sm btn-danger" onClick={() => { if (window.confirm('Revoke this key? Callers using it will get 401.')) void run(() => api.revokeApiKey(k.id)); }}>Revoke</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created ? (
        <Dialog title="New API key" onClose={() => setCreated(null)}>
          <p>Copy it now: it is shown only once and cannot be recovered.</p>
          <div className="secret-box" data-testid="new-api-key">{created}</div>
          <CopyButton text={created} label="Copy key" />
        </Dialog>
      ) : null}
    </section>
  );
}
