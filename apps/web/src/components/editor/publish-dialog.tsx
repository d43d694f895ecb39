'use client';
/** Publish: what changes against the live version, an optional message, then the draft becomes the live version. */
import { useMemo, useState } from 'react';
import type { Workflow, WorkflowInputRaw } from '@outrun/schemas';
import { Dialog, DialogActions } from '../dialog';
import { diffWorkflows } from './workflow-diff';
import { fieldLabel } from './human-problem';
import { findPlaceholders } from './placeholders';

interface Props {
  live: Workflow;
  draft: WorkflowInputRaw;
  publish: (message?: string) => Promise<unknown>;
  discard: () => Promise<void>;
  onClose: () => void;
}

function Lines({ title, items, cls }: { title: string; items: string[]; cls: string }) {
  if (items.length === 0) return null;
  return (
    <li>
      {title}:{' '}
      {items.map((i) => (
        <span key={i} className={`diff-item ${cls}`}>
          {i}
        </span>
      ))}
    </li>
  );
}

export function PublishDialog({ live, draft, publish, discard, onClose }: Props) {
  const diff = useMemo(() => diffWorkflows(live, draft), [live, draft]);
  const placeholders = useMemo(() => findPlaceholders(draft), [draft]);
  const nodeName = (id: string) => {
    const n = (draft.nodes ?? []).find((x) => x.id === id);
    return n?.label ? `“${n.label}” (${n.type})` : (n?.type ?? id);
  };
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Publish version ${live.version + 1}`} onClose={onClose}>
      <p className="muted" style={{ margin: 0 }}>
        {live.status === 'active' ? `Triggers switch from v${live.version} to the new version as soon as it is published.` : `The new version is what Run now and activation use.`}
      </p>
      <ul className="diff" data-testid="publish-diff">
        {diff.renamed ? <li>Renamed “{diff.renamed.from}” → “{diff.renamed.to}”</li> : null}
        <Lines title="Added" items={diff.added} cls="diff-add" />
        <Lines title="Removed" items={diff.removed} cls="diff-del" />
        <Lines title="Changed" items={diff.changed} cls="diff-mod" />
        {diff.edgesAdded || diff.edgesRemoved ? <li>Connections: +{diff.edgesAdded} −{diff.edgesRemoved}</li> : null}
        <Lines title="Triggers changed" items={diff.triggersChanged} cls="diff-mod" />
        {diff.movedOnly ? <li>Only node positions changed.</li> : null}
      </ul>
      {placeholders.length > 0 ? (
        <div className="inline-error" role="alert" data-testid="placeholders">
          Replace the template&apos;s example values first (a run would call them and fail):
          <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
            {placeholders.map((p) => (
              <li key={`${p.nodeId}:${p.field}`}>
                {nodeName(p.nodeId)} · {fieldLabel(p.field.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? p.field)}: <code>{p.value}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <label>
        Message (optional)
        <input name="publishMessage" maxLength={500} value={message} placeholder="What changed and why" onChange={(e) => setMessage(e.target.value)} />
      </label>
      <div className="row">
        <button type="button" className="btn btn-sm btn-danger" disabled={busy} onClick={() => void run(discard)}>
          Discard changes
        </button>
      </div>
      <DialogActions error={error} onCancel={onClose} confirm="Publish" busyLabel="Publishing…" busy={busy} disabled={placeholders.length > 0} onConfirm={() => void run(() => publish(message.trim() || undefined))} />
    </Dialog>
  );
}
