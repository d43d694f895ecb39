'use client';
/** "Run now": a JSON payload editor; starts a manual run and opens its detail page. */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { JsonValue } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { Dialog, DialogActions } from '../dialog';

export function RunNowDialog({ api, workflowId, flush, onClose }: { api: Api; workflowId: string; flush: () => Promise<void>; onClose: () => void }) {
  const router = useRouter();
  const [text, setText] = useState('{\n  "hello": "world"\n}');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  let parseError: string | null = null;
  let payload: JsonValue = null;
  try {
    payload = JSON.parse(text || 'null') as JsonValue;
  } catch (e) {
    parseError = e instanceof Error ? e.message : 'invalid JSON';
  }
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await flush().catch(() => undefined);
      const { runId } = await api.runNow(workflowId, payload);
      router.push(`/runs/${encodeURIComponent(runId)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Run now" onClose={onClose}>
      <label>
        Trigger payload (JSON)
        <textarea rows={10} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={parseError !== null} name="payload" />
        {parseError ? <span className="field-error">{parseError}</span> : <span className="field-help">Available to nodes as {'{{ trigger }}'}.</span>}
      </label>
      <DialogActions error={error} onCancel={onClose} confirm="Start run" busyLabel="Starting…" busy={busy} disabled={parseError !== null} onConfirm={() => void start()} />
    </Dialog>
  );
}
