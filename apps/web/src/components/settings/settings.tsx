'use client';
/** Settings: connection (this browser), API keys, credentials and data collections. Tab in the URL. */
import { useApiContext } from '../../lib/api-context';
import { useQueryState } from '../../lib/use-query-state';
import { AiPrices } from './ai-prices';
import { ApiKeys } from './api-keys';
import { ConnectionForm } from './connection-form';
import { Credentials } from './credentials';
import { DataBrowser } from './data-browser';

/** Each tab with the permission it needs (a viewer sees no credential data and no key management). */
const TABS = [
  ['connection', 'Connection', 'workspace:read'],
  ['keys', 'API keys', 'api_key:manage'],
  ['credentials', 'Credentials', 'credential:read'],
  ['data', 'Data collections', 'data:read'],
  ['ai', 'AI prices', 'workspace:read'],
] as const;

export function Settings() {
  const { api: connected, allowed } = useApiContext();
  const [params, setParams] = useQueryState();
  const requested = params.get('tab') ?? 'connection';
  const visible = TABS.filter(([, , permission]) => allowed(permission));
  const tab = visible.some(([id]) => id === requested) ? requested : 'connection';
  const api = tab === 'connection' ? connected : connected && visible.some(([id]) => id === tab) ? connected : null;
  return (
    <div className="page">
      <h1>Settings</h1>
      <div className="tabs" role="tablist">
        {visible.map(([id, label]) => (
          <button key={id} type="button" role="tab" className="tab" aria-selected={tab === id} onClick={() => setParams({ tab: id === 'connection' ? null : id, collection: null, filter: null, model: null })}>
            {label}
          </button>
        ))}
      </div>
      {tab === 'connection' ? <ConnectionForm /> : null}
      {tab !== 'connection' && !api ? <div className="muted">Connect first (Connection tab).</div> : null}
      {tab === 'keys' && api ? <ApiKeys api={api} /> : null}
      {tab === 'credentials' && api ? <Credentials api={api} /> : null}
      {tab === 'data' && api ? <DataBrowser api={api} /> : null}
      {tab === 'ai' && api ? <AiPrices api={api} /> : null}
    </div>
  );
}
