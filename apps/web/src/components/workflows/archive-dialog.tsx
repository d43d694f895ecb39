'use client';
/**
 * "Archive" (the editor's toolbar and the workflows list): confirms, saves the editor's pending edits first when
 * given `flush`, then archives (`DELETE …/workflows/:id`). Runs and versions are kept; an archived workflow cannot
 * run, be activated or be edited (the editor turns read-only).
 */
import { useState } from 'react';
import type { Workflow, WorkflowSummary } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { Dialog, DialogActions } from '../dialog';

interface Props {
  api: Api;
  /** The workflow or the list row's summary: what the dialog names. */
  workflow: Pick<WorkflowSummary, 'id' | 'name' | 'status'>;
  /** Saves pending edits first (the editor): after archiving they could not be saved any more. */
  flush?: () => Promise<unknown>;
  /** The workflow as reread after archiving (null when the reread failed: it is archived all the same). */
  onArchived: (wf: Workflow | null) => void;
  onClose: () => void;
}

export function ArchiveDialog({ api, workflow, flush, onArchived, onClose }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const archive = async () => {
    setBusy(true);
    setError(null);
    try {
      await flush?.();
      await api.archiveWorkflow(workflow.id);
      // DELETE answers 204 without a body; the reread carries the new status and timestamps.
      onArchived(await api.getWorkflow(workflow.id).catch(() => null));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Archive workflow" onClose={onClose}>
      <p style={{ margin: 0 }}>
        Archive <strong>{workflow.name}</strong>? {workflow.status === 'active' ? 'Its triggers stop and it ' : 'It '}
        can no longer run, be activated or be edited. Its runs and versions are kept, and the workflows list still shows
        it under the <em>archived</em> status filter.
      </p>
      <DialogActions error={error} onCancel={onClose} confirm="Archive workflow" busyLabel="Archiving…" busy={busy} danger onConfirm={() => void archive()} />
    </Dialog>
  );
}
