'use client';
/**
 * "Run now": starts a manual run of the **live** (published) version from one of its triggers, with a payload
 * shaped like a real delivery of that trigger (a webhook: `{body, query, headers, method}`), or the payload of a
 * past run. With unpublished changes the dialog says so and can publish them first.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { JsonValue, Workflow } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { Dialog, DialogActions } from '../dialog';
import { payloadProblem, samplePayload } from './sample-payload';

interface Props {
  api: Api;
  workflow: Workflow;
  hasDraft: boolean;
  /** Publishes the draft; resolves to the new live workflow. */
  publish: () => Promise<Workflow>;
  onClose: () => void;
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

export function RunNowDialog({ api, workflow, hasDraft, publish, onClose }: Props) {
  const router = useRouter();
  const [triggerId, setTriggerId] = useState(workflow.triggers[0]?.id ?? '');
  const trigger = workflow.triggers.find((t) => t.id === triggerId);
  const [text, setText] = useState(() => pretty(samplePayload(trigger)));
  const [publishFirst, setPublishFirst] = useState(hasDraft && workflow.status !== 'active');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pastNote, setPastNote] = useState<string | null>(null);
  useEffect(() => setText(pretty(samplePayload(trigger))), [trigger]);

  let parseError: string | null = null;
  let payload: JsonValue = null;
  try {
    payload = JSON.parse(text || 'null') as JsonValue;
  } catch (e) {
    parseError = e instanceof Error ? e.message : 'invalid JSON';
  }
  const shapeError = parseError === null ? payloadProblem(trigger, payload) : null;

  const usePast = async () => {
    setError(null);
    try {
      const page = await api.listRuns({ workflowId: workflow.id, ...(trigger ? { triggerType: trigger.type } : {}), limit: 1 });
      const last = page.items[0];
      if (!last) return setPastNote(`No ${trigger?.type ?? ''} run yet.`);
      const run = await api.getRun(last.id);
      setText(pretty(run.triggeredBy.payload ?? {}));
      setPastNote(`Payload of run ${run.id.slice(0, 8)} (${run.triggeredBy.type}).`);
    } catch (e) {
      setError(e);
    }
  };

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      if (publishFirst) await publish();
      const { runId } = await api.runNow(workflow.id, payload, triggerId || undefined);
      router.push(`/runs/${encodeURIComponent(runId)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Run now" onClose={onClose}>
      {hasDraft ? (
        <div className="banner" role="note" data-testid="run-now-draft-note">
          Runs use the live version (v{workflow.version}); your unpublished changes are not included.
          <label className="check">
            <input type="checkbox" checked={publishFirst} onChange={(e) => setPublishFirst(e.target.checked)} /> Publish my changes first
          </label>
        </div>
      ) : null}
      {workflow.triggers.length > 1 ? (
        <label>
          Trigger
          <select name="triggerId" value={triggerId} onChange={(e) => setTriggerId(e.target.value)}>
            {workflow.triggers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.type} ({t.id})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        {trigger?.type === 'webhook' ? 'Webhook delivery (JSON: body, query, headers, method)' : 'Trigger payload (JSON)'}
        <textarea rows={12} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={parseError !== null || shapeError !== null} name="payload" />
        {parseError ? <span className="field-error">{parseError}</span> : shapeError ? <span className="field-error" data-testid="payload-shape-error">{shapeError}</span> : <span className="field-help">Available to nodes as {'{{ trigger }}'}, and to the first step as {'{{ input }}'}.</span>}
      </label>
      <div className="row">
        <button type="button" className="btn btn-sm" onClick={() => void usePast()}>Use the last {trigger?.type ?? 'run'}&apos;s payload</button>
        {pastNote ? <span className="field-help">{pastNote}</span> : null}
      </div>
      <DialogActions error={error} onCancel={onClose} confirm={publishFirst ? 'Publish and run' : 'Start run'} busyLabel="Starting…" busy={busy} disabled={parseError !== null || shapeError !== null} onConfirm={() => void start()} />
    </Dialog>
  );
}
