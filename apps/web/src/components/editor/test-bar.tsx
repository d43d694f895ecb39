'use client';
/**
 * The test loop's bar over the canvas: "Test workflow" (a test run of the draft with the last run's payload, or a
 * delivery-shaped sample), "Listen for a test event" (a one-shot URL; its next delivery starts a test run), and the
 * run drawn on the canvas (pick any recent run; test runs are marked).
 */
import type { JsonValue } from '@outrun/schemas';
import { formatAgo } from '../../lib/format';
import { CopyButton } from '../dialog';
import { InlineError } from '../states';
import type { TestLoop } from './use-test-loop';

interface Props {
  loop: TestLoop;
  readOnly: boolean;
  /** The payload of a first test when the workflow has no run yet (shaped like a real delivery). */
  sample: () => JsonValue;
}

export function TestBar({ loop, readOnly, sample }: Props) {
  const { run, recent, listening, busy } = loop;
  const curl = listening ? `curl -X POST '${listening.url}' -H 'Content-Type: application/json' -d '{"hello":"world"}'` : '';
  return (
    <div className="test-bar" role="toolbar" aria-label="Test">
      <button type="button" className="btn btn-sm btn-primary" disabled={readOnly || busy} onClick={() => void loop.testWorkflow(recent.length > 0 ? undefined : sample())}>
        ▶ Test workflow
      </button>
      {listening ? (
        <span className="test-url" data-testid="test-listening" role="status">
          <span>Waiting for a delivery to <code data-testid="test-url">{listening.url}</code></span>
          <CopyButton text={curl} label="Copy curl" />
          <button type="button" className="btn btn-sm" onClick={loop.stopListening}>Stop</button>
        </span>
      ) : (
        <button type="button" className="btn btn-sm" disabled={readOnly || busy} onClick={() => void loop.listen()}>
          Listen for a test event
        </button>
      )}
      {recent.length > 0 ? (
        <label className="test-run-pick">
          Run on canvas
          <select name="canvasRun" value={run?.id ?? ''} onChange={(e) => loop.select(e.target.value)} aria-label="Run shown on the canvas">
            {run && !recent.some((r) => r.id === run.id) ? <option value={run.id}>{run.id.slice(-8)} · {run.status}</option> : null}
            {recent.map((r) => (
              <option key={r.id} value={r.id}>
                {r.triggeredBy.test ? (r.triggeredBy.test.step ? 'step test' : 'test') : r.triggeredBy.type} · {r.status} · {formatAgo(r.queuedAt)} · {r.id.slice(-8)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {run ? (
        <span className={`badge badge-${run.status}`} data-testid="canvas-run-status" data-run-id={run.id}>
          {run.triggeredBy.test ? 'test run' : 'run'} {run.status}
        </span>
      ) : null}
      {loop.error ? <div style={{ flexBasis: '100%' }}><InlineError error={loop.error} /></div> : null}
    </div>
  );
}
