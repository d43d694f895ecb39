'use client';
/** The strip under a canvas node: how it did in the selected run (status, output items) and whether it is pinned. */

const LABELS: Record<string, string> = { completed: '✓', failed: '✕', skipped: '–', running: '…', waiting: '⏸', cancelled: '■' };

export function NodeRunBadge({ run, pinned }: { run: { status: string; items?: number } | undefined; pinned: boolean }) {
  return (
    <div className="wf-node-run" data-testid="node-run">
      {run ? (
        <span className={`badge badge-${run.status}`} data-status={run.status}>
          {LABELS[run.status] ?? ''} {run.status}
          {run.items !== undefined ? ` · ${run.items} item${run.items === 1 ? '' : 's'}` : ''}
        </span>
      ) : null}
      {pinned ? <span className="badge badge-pinned" title="Test runs use the pinned output instead of executing this step">pinned</span> : null}
    </div>
  );
}

/** Output items as the canvas counts them: an array's length, one for any other value, none when absent. */
export const itemCount = (output: unknown): number | undefined => (output === undefined ? undefined : Array.isArray(output) ? output.length : 1);
