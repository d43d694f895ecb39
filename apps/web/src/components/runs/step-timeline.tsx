'use client';
/** Steps as bars by start time and duration, relative to the run's start. */
import { memo } from 'react';
import type { Run, Step } from '@outrun/schemas';
import { formatDuration } from '../../lib/format';

const stepKey = (s: Step) => `${s.nodeId}#${s.attempt}`;

/** `labels`: node id → label (or type) from the version the run executed; rows show it, with the id as a tooltip. */
function StepTimelineImpl({ run, labels, selected, onSelect, now }: { run: Run; labels: ReadonlyMap<string, string>; selected: string | null; onSelect: (key: string) => void; now: number }) {
  if (run.steps.length === 0) return <div className="muted">No steps yet.</div>;
  const starts = run.steps.map((s) => Date.parse(s.startedAt));
  const t0 = Math.min(...starts, run.startedAt ? Date.parse(run.startedAt) : Infinity);
  const end = Math.max(...run.steps.map((s) => (s.finishedAt ? Date.parse(s.finishedAt) : now)), run.finishedAt ? Date.parse(run.finishedAt) : 0);
  const total = Math.max(end - t0, 1);
  return (
    <div className="timeline" role="list" aria-label="Step timeline">
      {run.steps.map((s) => {
        const start = Date.parse(s.startedAt) - t0;
        const duration = s.duration ?? (s.finishedAt ? Date.parse(s.finishedAt) - Date.parse(s.startedAt) : now - Date.parse(s.startedAt));
        const key = stepKey(s);
        return (
          <button type="button" role="listitem" key={key} className="tl-row" aria-pressed={selected === key} onClick={() => onSelect(key)} data-step={s.nodeId} data-status={s.status}>
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={s.nodeId}>
              <span className={`badge badge-${s.status}`} style={{ marginRight: 6 }}>{s.status}</span>
              {labels.get(s.nodeId) ?? s.nodeId}
              {s.attempt > 1 ? <span className="muted"> (try {s.attempt})</span> : null}
            </span>
            <span className="tl-track" aria-hidden="true">
              <span className={`tl-bar ${s.status}`} style={{ left: `${(start / total) * 100}%`, width: `${Math.max((Math.max(duration, 0) / total) * 100, 0.5)}%` }} />
            </span>
            <span className="muted" style={{ textAlign: 'right' }}>{formatDuration(duration)}</span>
          </button>
        );
      })}
    </div>
  );
}

export const StepTimeline = memo(StepTimelineImpl);
export { stepKey };
