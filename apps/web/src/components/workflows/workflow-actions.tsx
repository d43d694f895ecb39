'use client';
/**
 * Row actions of the workflows list — duplicate, export (a JSON download), archive — and the Import button. All go
 * through the API's portable export/import (`GET …/export`, `POST …/workflows/import`): a duplicate is an import
 * of the export under a new name, so it starts as a draft with fresh webhook paths.
 */
import { useRef, useState } from 'react';
import type { WorkflowSummary } from '@outrun/schemas';
import { useApiContext } from '../../lib/api-context';
import type { Api } from '../../lib/api';
import { ArchiveDialog } from './archive-dialog';
import { InlineError } from '../states';

/** A file name safe on every OS, from the workflow's name. */
export function exportFileName(name: string): string {
  const base = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `${base || 'workflow'}.outrun.json`;
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

interface RowProps {
  api: Api;
  workflow: WorkflowSummary;
  onChanged: () => void;
  onError: (e: unknown) => void;
}

export function WorkflowRowActions({ api, workflow, onChanged, onError }: RowProps) {
  // Export is a read; duplicating and archiving need `workflow:write` (the API enforces it regardless).
  const canWrite = useApiContext().allowed('workflow:write');
  const [archiving, setArchiving] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const duplicate = () =>
    run(async () => {
      const exported = await api.client.exportWorkflow(api.options.workspaceId, workflow.id);
      await api.client.importWorkflow(api.options.workspaceId, { ...exported, workflow: { ...exported.workflow, name: `${workflow.name} (copy)`.slice(0, 200) } });
      onChanged();
    });
  const exportJson = () =>
    run(async () => {
      const exported = await api.client.exportWorkflow(api.options.workspaceId, workflow.id);
      download(exportFileName(workflow.name), JSON.stringify(exported, null, 2));
    });
  return (
    <span className="row" style={{ gap: 4 }}>
      {canWrite ? (
        <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void duplicate()} aria-label={`Duplicate ${workflow.name}`}>
          Duplicate
        </button>
      ) : null}
      <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void exportJson()} aria-label={`Export ${workflow.name}`}>
        Export
      </button>
      {workflow.status === 'archived' || !canWrite ? null : (
        <button type="button" className="btn btn-sm btn-danger" disabled={busy} onClick={() => setArchiving(true)} aria-haspopup="dialog" aria-label={`Archive ${workflow.name}`}>
          Archive
        </button>
      )}
      {archiving ? <ArchiveDialog api={api} workflow={workflow} onClose={() => setArchiving(false)} onArchived={() => { setArchiving(false); onChanged(); }} /> : null}
    </span>
  );
}

/** "Import": reads an export file (JSON) and creates a new draft workflow from it. */
export function ImportWorkflowButton({ api, onImported }: { api: Api; onImported: (id: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const onFile = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        setError(`${file.name} is not a JSON file: export a workflow from this list to get one.`);
        return;
      }
      const wf = await api.client.importWorkflow(api.options.workspaceId, parsed as Parameters<Api['client']['importWorkflow']>[1]);
      onImported(wf.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <>
      <input ref={input} type="file" accept="application/json,.json" hidden data-testid="import-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void onFile(f); }} />
      <button type="button" className="btn" disabled={busy} onClick={() => input.current?.click()}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {typeof error === 'string' ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : error ? (
        <InlineError error={error} />
      ) : null}
    </>
  );
}
