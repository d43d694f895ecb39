'use client';
/**
 * The node panel's view of the run drawn on the canvas: this step's input and output, "Execute this step" (a test
 * run of this node alone, fed by that run's recorded outputs or pinned data), and pinning its output for later tests.
 * A click on any key or value inserts its reference (`input.…`, `steps.<id>.…`, `trigger.…`) into the expression
 * field focused last; with none yet, it says where the reference would go.
 */
import { useMemo, useState } from 'react';
import type { JsonValue, Run } from '@outrun/schemas';
import { CopyButton } from '../dialog';
import { JsonView } from '../json-view';
import { useInsertTarget } from './insert-target';
import { fieldPath, stepPath } from './step-reference';

interface Props {
  nodeId: string;
  run: Run | null | undefined;
  pinned: JsonValue | undefined;
  canExecute: boolean;
  busy: boolean;
  onExecute: (nodeId: string) => void;
  onPin: (nodeId: string, output: JsonValue | undefined) => void;
  /** Why the step was skipped in that run (which routing choice left it out). */
  skippedBecause?: string | undefined;
}

/** Where the last click went (or would go), shown under the views. */
type Picked = { path: string; into: string | null };

export function NodeRunData({ nodeId, run, pinned, canExecute, busy, onExecute, onPin, skippedBecause }: Props) {
  const step = run?.steps.find((s) => s.nodeId === nodeId);
  const target = useInsertTarget();
  const [picked, setPicked] = useState<Picked | null>(null);
  // Stable per node: the JSON trees (memoized) do not re-render when the editor does (a node drag).
  const pick = useMemo(() => {
    const picker = (root: string) => (segments: ReadonlyArray<string | number>) => {
      const path = fieldPath(root, segments);
      const into = target?.current ?? null;
      if (into) into.insert(path);
      setPicked({ path, into: into?.label ?? null });
    };
    return { input: picker('input'), output: picker(stepPath(nodeId)), trigger: picker('trigger') };
  }, [nodeId, target]);
  return (
    <section className="stack" aria-label="Test data" data-testid="node-run-data">
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <h3 style={{ margin: 0 }}>Test</h3>
        <span className="spacer" />
        {canExecute ? (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => onExecute(nodeId)} title="Runs only this step, with the input it had in the run shown (or pinned data)">
            Execute this step
          </button>
        ) : null}
        {pinned !== undefined ? (
          <button type="button" className="btn btn-sm" onClick={() => onPin(nodeId, undefined)}>Unpin</button>
        ) : step?.output !== undefined && step.status === 'completed' ? (
          <button type="button" className="btn btn-sm" onClick={() => onPin(nodeId, step.output)} title="Test runs will use this output instead of executing the step">
            Pin this output
          </button>
        ) : null}
      </div>
      {pinned !== undefined ? (
        <div className="stack">
          <span className="field-help">Pinned: test runs use this output instead of executing the step (production runs ignore it).</span>
          <JsonView value={pinned} label="pinned output" onPick={pick.output} />
        </div>
      ) : null}
      {!run ? (
        <p className="muted">No run yet: use “Test workflow” or “Listen for a test event”.</p>
      ) : !step ? (
        <p className="muted">The run shown ({run.triggeredBy.test ? 'test, ' : ''}{run.status}) did not reach this step.</p>
      ) : (
        <div className="stack">
          <span className="field-help" data-testid="node-run-status">
            {run.triggeredBy.test ? 'Test run' : 'Run'} {run.id.slice(-8)}: this step {step.status}
            {step.error ? ` — ${step.error.message}` : ''}
          </span>
          {step.status === 'skipped' && skippedBecause ? <span className="field-help" data-testid="skipped-because">Skipped because {skippedBecause}.</span> : null}
          <h3 style={{ margin: 0 }}>Input</h3>
          <span className="field-help">Click a key or value to insert its reference into the field you were editing.</span>
          <JsonView value={(step.input ?? null) as JsonValue} label="step input" onPick={pick.input} />
          <h3 style={{ margin: 0 }}>Output</h3>
          <JsonView value={(step.output ?? null) as JsonValue} label="step output" onPick={pick.output} />
          <details>
            <summary>Trigger payload</summary>
            <JsonView value={(run.triggeredBy.payload ?? null) as JsonValue} label="trigger payload" onPick={pick.trigger} />
          </details>
        </div>
      )}
      {picked ? (
        <span className="field-help row" style={{ flexWrap: 'wrap' }} role="status" data-testid="insert-hint">
          {picked.into ? (
            <span>Inserted <code>{picked.path}</code> into “{picked.into}”.</span>
          ) : (
            <span>
              <code>{`{{ ${picked.path} }}`}</code> goes in at the caret of the field you click into first (none has had focus yet) — or copy it:
            </span>
          )}
          {picked.into ? null : <CopyButton text={`{{ ${picked.path} }}`} />}
        </span>
      ) : null}
    </section>
  );
}
