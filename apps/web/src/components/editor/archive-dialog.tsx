'use client';
/**
 * "Archive": confirms, saves pending edits, then archives (`DELETE …/workflows/:id`). Runs and versions are kept;
 * an archived workflow cannot run, be activated or be edited, so the editor turns read-only.
 */
import { useState } from 'react';
import type { Workflow } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { Dialog, DialogActions } from '../dialog';

interface Props {
  api: Api;
  workflow: Workflow;
  flush: () => Promise<void>;
  onArchived: (wf: Workflow) => void;
  onClose: () => void;
}

export function ArchiveDialog({ api, workflow, flush, onArchived, onClose }: Props) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const archive = async () => {
    setBusy(true);
    setError(null);
    try {
      // Pending edits are saved first: after archiving they could not be saved any more.
      await flush();
      await api.archiveWorkflow(workflow.id);
      // DELETE answers 204 without a body; the reread carries the new status and timestamps.
      onArchived(await api.getWorkflow(workflow.id).catch(() => ({ ...workflow, status: 'archived' as const })));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Archive workflow" onClose={onClose}>
      <p style={{ margin: 0 }}>
        Archive <strong>{workflow.name}</strong>? {workflow.status === 'active' ? 'Its triggers stop and it ' : 'It '}
        can no longer run, be activated or be edited. Its runs and versions are kept, and the workflow list still shows it
        under the <em>archived</em> status.
      </p>
      <DialogActions error={error} onCancel={onClose} confirm="Archive workflow" busyLabel="Archiving…" busy={busy} danger onConfirm={() => void archive()} />
    </Dialog>
  );
}
