'use client';
/** API key and workspace for this browser (localStorage); empty fields fall back to the server's defaults. */
import { useState, type FormEvent } from 'react';
import { useApiContext } from '../../lib/api-context';

export function ConnectionForm() {
  const { config, override, setOverride } = useApiContext();
  const [apiKey, setApiKey] = useState(override.apiKey ?? '');
  const [workspaceId, setWorkspaceId] = useState(override.workspaceId ?? '');
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOverride({ apiKey, workspaceId });
    setSaved(true);
  };
  return (
    <form className="card stack" onSubmit={submit} aria-label="Connection">
      <h2>Connection</h2>
      <p className="muted" style={{ margin: 0 }}>
        The app talks to the API gateway at <code>{config?.publicApiUrl ?? '…'}</code> (server env <code>WORKFLOW_API_URL</code>).
        {config?.apiKey || config?.serverAuth ? ' The server authenticates this browser with the local API key (it never reaches the page); enter another one here to override it.' : ' Enter an API key of your workspace.'}
      </p>
      <label>
        API key
        <input type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder={config?.apiKey ? 'using the server-provided key' : 'out_…'} name="apiKey" />
      </label>
      <label>
        Workspace id
        <input value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)} placeholder={config?.workspaceId ?? 'ws_…'} name="workspaceId" />
      </label>
      <div className="row">
        <button type="submit" className="btn btn-primary">Save</button>
        <button type="button" className="btn" onClick={() => { setApiKey(''); setWorkspaceId(''); setOverride({}); setSaved(true); }}>Use server defaults</button>
        {saved ? <span className="copy-ok" role="status">Saved in this browser.</span> : null}
      </div>
    </form>
  );
}
