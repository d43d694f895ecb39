'use client';
/** "New workflow": blank, or instantiated from one of the gateway's templates. */
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { Dialog, DialogActions } from '../dialog';
import { Loading } from '../states';

export function CreateWorkflowDialog({ api, onClose }: { api: Api; onClose: () => void }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const templates = useAsync(() => api.listTemplates(), [api]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const wf = templateId
        ? await api.instantiateTemplate(templateId, name.trim() || undefined)
        : await api.createWorkflow({ name: name.trim() || 'Untitled workflow', nodes: [], edges: [], triggers: [] });
      router.push(`/workflows/${encodeURIComponent(wf.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog title="New workflow" onClose={onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Lead processing" maxLength={200} />
        </label>
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 500, marginBottom: 4 }}>Start from</legend>
          <label className="check">
            <input type="radio" name="tpl" checked={templateId === ''} onChange={() => setTemplateId('')} /> Blank canvas
          </label>
          {templates.loading && !templates.data ? <Loading label="Loading templates…" /> : null}
          {templates.error ? <div className="muted">Templates are unavailable right now.</div> : null}
          {(templates.data ?? []).map((t) => (
            <label key={t.id} className="check">
              <input type="radio" name="tpl" checked={templateId === t.id} onChange={() => setTemplateId(t.id)} />
              <span>
                <strong>{t.name}</strong>
                {t.description ? <span className="muted"> — {t.description}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
        <DialogActions error={error} onCancel={onClose} confirm="Create" busyLabel="Creating…" busy={busy} />
      </form>
    </Dialog>
  );
}
