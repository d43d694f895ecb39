'use client';
/** The audit log of the chosen workspace (owners and admins): filter by actor, action and date; JSON lines export. */
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry } from '@outrun/schemas';
import { canManageMembers, sessionCall, SessionApiError } from '../../lib/session-api';
import { useMe } from './use-me';
import { AccountBar } from './workspace-switcher';

type Entry = AuditEntry;

/** Long values (ids) shortened on screen; the whole entry is in the tooltip and the export. */
const shorten = (v: string): string => (v.length > 24 ? `${v.slice(0, 8)}…` : v);

export function AuditLog() {
  const { me, current, switchTo } = useMe();
  const [filters, setFilters] = useState({ actor: '', action: '', from: '', to: '' });
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const ws = current?.workspace.id;
  const query = new URLSearchParams(Object.entries(filters).flatMap(([k, v]) => (v ? [[k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v]] : []))).toString();

  const load = useCallback(async () => {
    if (!ws || !canManageMembers(current?.role)) return;
    setError(null);
    try {
      setEntries((await sessionCall<{ items: Entry[] }>('GET', `/api/workspaces/${ws}/audit${query ? `?${query}` : ''}`)).items);
    } catch (e) {
      setError(e instanceof SessionApiError ? e.message : String(e));
    }
  }, [ws, current?.role, query]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!me) return <div className="page muted">Loading…</div>;
  return (
    <div className="page">
      <AccountBar me={me} current={current} switchTo={switchTo} />
      <div className="page-head">
        <h1>Audit log</h1>
        {ws && canManageMembers(current?.role) ? (
          <a className="btn btn-sm" href={`/gateway/api/workspaces/${ws}/audit/export${query ? `?${query}` : ''}`}>
            Export JSON lines
          </a>
        ) : null}
      </div>
      {!canManageMembers(current?.role) ? (
        <p className="muted">Only owners and admins read the audit log.</p>
      ) : (
        <>
          <div className="row" aria-label="Filters">
            <input placeholder="actor (email or id)" aria-label="Actor" value={filters.actor} onChange={(e) => setFilters({ ...filters, actor: e.target.value })} />
            <input placeholder="action, e.g. member.invited" aria-label="Action" value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value })} />
            <span className="muted">from</span>
            <input type="datetime-local" aria-label="From" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
            <span className="muted">to</span>
            <input type="datetime-local" aria-label="To" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
          </div>
          {error ? (
            <p role="alert" className="banner banner-error">
              {error}
            </p>
          ) : null}
          <table className="table" aria-label="Audit entries">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
                <th>Versions</th>
                <th>Details</th>
                <th>IP</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="muted">{new Date(e.at).toLocaleString()}</td>
                  <td>{e.actor.label ?? e.actor.id}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target ? `${e.target.type} ${e.target.id.slice(0, 8)}` : ''}</td>
                  <td>{e.beforeVersion !== undefined || e.afterVersion !== undefined ? `${e.beforeVersion ?? '–'} → ${e.afterVersion ?? '–'}` : ''}</td>
                  <td className="muted">
                    <div style={{ maxWidth: 300, whiteSpace: 'normal', overflowWrap: 'anywhere' }} title={e.details ? JSON.stringify(e.details) : undefined}>
                      {e.details ? Object.entries(e.details).map(([k, v]) => `${k}: ${shorten(String(v))}`).join(', ') : ''}
                    </div>
                  </td>
                  <td className="muted">{e.ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
