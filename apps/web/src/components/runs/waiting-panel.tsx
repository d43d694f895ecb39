'use client';
/**
 * What a parked run is waiting for, in words: an event (its name and correlation key — the run resumes when
 * `POST …/events` delivers a matching one), or the end of a durable delay. Approvals have their own panel and child
 * runs their links; this covers the rest, so a run that shows "running" for a day says why.
 */
import type { Run } from '@outrun/schemas';
import { formatTime } from '../../lib/format';

interface WaitingOutput {
  resumeAt?: number;
  waitingFor?: string;
  state?: { event?: unknown; key?: unknown; deadline?: unknown } | null;
}

export function WaitingPanel({ run }: { run: Run }) {
  if (run.status !== 'running') return null;
  const step = run.steps.findLast((s) => s.status === 'waiting');
  if (!step) return null;
  const out = (step.output ?? {}) as WaitingOutput;
  const until = typeof out.resumeAt === 'number' ? formatTime(new Date(out.resumeAt).toISOString()) : null;
  const event = out.state && typeof out.state.event === 'string' && typeof out.state.key === 'string' ? { name: out.state.event, key: out.state.key } : null;
  if (event && run.waitingFor === out.waitingFor) {
    return (
      <section className="card" data-testid="waiting-event">
        <p>
          Step <strong>{step.nodeId}</strong> waits for the event <code>{event.name}</code> with key <code>{event.key}</code>
          {until ? <> until {until} (then its timeout branch)</> : null}.
        </p>
        <p className="field-help">
          Deliver it with <code>POST /api/workspaces/{run.workspaceId}/events</code> and the body{' '}
          <code>{JSON.stringify({ name: event.name, key: event.key, payload: {} })}</code>; the run resumes from this step.
        </p>
      </section>
    );
  }
  if (!run.waitingFor && until) {
    return (
      <section className="card" data-testid="waiting-delay">
        <p>Step <strong>{step.nodeId}</strong> sleeps until {until}; no worker is held meanwhile.</p>
      </section>
    );
  }
  return null;
}
