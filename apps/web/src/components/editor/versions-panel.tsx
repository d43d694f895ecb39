'use client';
/**
 * Version history: every **published** version (drafts are not versions), with its message; the live one is marked.
 * Restore discards the draft and publishes a new version equal to the old one.
 */
import { useState } from 'react';
import type { Workflow } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { formatAgo, formatTime } from '../../lib/format';
import { ErrorState, InlineError, Loading } from '../states';

interface Props {
  api: Api;
  workflow: Workflow;
  flush: () => Promise<void>;
  onRestored: (wf: Workflow) => void;
}

export function VersionsPanel({ api, workflow, flush, onRestored }: Props) {
  const versions = useAsync(() => api.listVersions(workflow.id), [api, workflow.id, workflow.version]);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const restore = async (v: number) => {
    setBusy(v);
    setError(null);
    try {
      await flush().catch(() => undefined);
      onRestored(await api.restoreVersion(workflow.id, v));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  if (versions.error) return <ErrorState error={versions.error} onRetry={versions.reload} />;
  if (!versions.data) return <Loading label="Loading versions…" />;
  const items = [...versions.data.items].sort((a, b) => b.version - a.version);
  return (
    <section className="stack" aria-label="Version history">
      <h2>Version history</h2>
      <InlineError error={error} />
      <ol className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((v) => (
          <li key={v.version} className="card" style={{ padding: '8px 10px' }} data-version={v.version}>
            <div className="row">
              <strong>v{v.version}</strong>
              {v.version === workflow.version ? <span className="badge badge-active">{workflow.status === 'active' ? 'live' : 'latest'}</span> : null}
              <span className="spacer" />
              {v.version !== workflow.version ? (
                <button type="button" className="btn btn-sm" disabled={busy !== null} onClick={() => void restore(v.version)} aria-label={`Restore version ${v.version}`}>
                  {busy === v.version ? 'Restoring…' : 'Restore'}
                </button>
              ) : null}
            </div>
            {v.message ? <div data-testid="version-message">{v.message}</div> : null}
            <div className="field-help" title={formatTime(v.createdAt)}>
              {formatAgo(v.createdAt)} · {v.nodeCount} nodes · {v.edgeCount} edges · {v.triggerCount} triggers
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
