'use client';
/**
 * The editor's top bar: name, status, version, save state, undo/redo, tidy up, fit, runs, Run now, Activate/Pause,
 * Archive. An archived workflow is read-only: the editing controls are disabled and the save state says why.
 */
import Link from 'next/link';
import type { Workflow } from '@outrun/schemas';
import { StatusBadge } from '../states';
import type { SaveState } from './use-workflow-draft';
import type { Panels } from './use-panels';

const SAVE_LABEL: Record<SaveState, string> = { saved: 'Draft saved', unsaved: 'Unsaved…', saving: 'Saving…', error: 'Not saved', conflict: 'Conflict' };

interface Props {
  workflow: Workflow;
  name: string;
  /** Unpublished changes are stored (the live version differs from what the canvas shows). */
  hasDraft: boolean;
  onPublish: () => void;
  panels: Panels;
  saveState: SaveState;
  canUndo: boolean;
  canRedo: boolean;
  canTidy: boolean;
  busy: boolean;
  onRename: (name: string) => void;
  onUndo: () => void;
  onRedo: () => void;
  onTidy: () => void;
  onFit: () => void;
  onRunNow: () => void;
  onStatus: (action: 'activate' | 'pause') => void;
  onArchive: () => void;
  /** The person's role may edit, publish, activate and archive (`workflow:write`). */
  canWrite: boolean;
  /** The person's role may run it now (`run:operate`). */
  canOperate: boolean;
}

export function EditorToolbar({ workflow, name, hasDraft, onPublish, panels, saveState, canUndo, canRedo, canTidy, busy, onRename, onUndo, onRedo, onTidy, onFit, onRunNow, onStatus, onArchive, canWrite, canOperate }: Props) {
  const archived = workflow.status === 'archived';
  return (
    <header className="editor-toolbar">
      <Link href="/workflows" className="btn btn-sm" aria-label="Back to workflows">←</Link>
      <input className="wf-name" aria-label="Workflow name" value={name} readOnly={archived || !canWrite} onChange={(e) => onRename(e.target.value)} />
      <StatusBadge status={workflow.status} />
      <span className="muted" data-testid="live-version" title="The published version: what triggers and runs use">{workflow.status === 'active' ? 'Live' : 'Published'} v{workflow.version}</span>
      {hasDraft && !archived ? (
        <span className="badge badge-unpublished" data-testid="publish-state" data-state="unpublished" title="Your edits are saved as a draft; triggers and runs still use the published version until you publish">
          {workflow.status === 'active' ? 'Live · unpublished changes' : 'Unpublished changes'}
        </span>
      ) : (
        <span data-testid="publish-state" data-state="published" hidden />
      )}
      <span className="save-state" role="status" data-testid="save-state" data-state={archived ? 'read-only' : saveState}>{archived ? 'Archived: read-only' : saveState === 'saved' && !hasDraft ? 'No unpublished changes' : SAVE_LABEL[saveState]}</span>
      <span className="spacer" />
      <button type="button" className="btn btn-sm" aria-pressed={panels.palette} onClick={panels.togglePalette} title="Show or hide the node palette">Nodes</button>
      <button type="button" className="btn btn-sm" aria-pressed={panels.inspector} onClick={panels.toggleInspector} title="Show or hide the side panel">Panel</button>
      <button type="button" className="btn btn-sm" onClick={onUndo} disabled={!canUndo} title="Undo (Ctrl+Z)">Undo</button>
      <button type="button" className="btn btn-sm" onClick={onRedo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">Redo</button>
      <button type="button" className="btn btn-sm" onClick={onTidy} disabled={!canTidy} title="Arrange the nodes left to right by depth (Shift+Alt+T)">Tidy up</button>
      <button type="button" className="btn btn-sm" onClick={onFit} title="Fit view (F)">Fit</button>
      <Link className="btn btn-sm" href={`/runs?workflowId=${encodeURIComponent(workflow.id)}`}>Runs</Link>
      {canOperate ? <button type="button" className="btn" onClick={onRunNow} disabled={archived}>Run now</button> : null}
      {/* What the role cannot do is not offered (the gateway refuses it regardless). */}
      {!canWrite ? <span className="badge" data-testid="role-read-only" title="Your role in this workspace can read this workflow but not change it">Read-only</span> : null}
      {archived || !canWrite ? null : (
        <button type="button" className={hasDraft ? 'btn btn-primary' : 'btn'} onClick={onPublish} disabled={!hasDraft || busy} title={hasDraft ? 'Make your changes the live version' : 'Nothing to publish'}>Publish</button>
      )}
      {!canWrite ? null : workflow.status === 'active' ? (
        <button type="button" className="btn" disabled={busy} onClick={() => onStatus('pause')}>Pause</button>
      ) : (
        <button type="button" className="btn btn-primary" disabled={busy || archived} onClick={() => onStatus('activate')}>Activate</button>
      )}
      {archived || !canWrite ? null : (
        <button type="button" className="btn btn-danger" disabled={busy} onClick={onArchive} aria-haspopup="dialog">Archive</button>
      )}
    </header>
  );
}
