'use client';
/**
 * Who decided an approval step, from its recorded output: the signed-in person (email), the API key or the
 * signed link, how (run view, API, link) and when. Nothing for other steps or an undecided approval.
 */
import type { Step } from '@outrun/schemas';
import { formatTime } from '../../lib/format';

interface Decision {
  decision: 'approve' | 'reject';
  decidedBy: string;
  decidedByUser?: { id: string; email: string };
  decidedAt: string;
  via: string;
  comment?: string;
}

function decisionOf(step: Step): Decision | null {
  const out = step.output as Partial<Decision> | null | undefined;
  if (step.nodeType !== 'approval' || !out || typeof out !== 'object') return null;
  if ((out.decision !== 'approve' && out.decision !== 'reject') || typeof out.decidedBy !== 'string' || typeof out.decidedAt !== 'string') return null;
  return out as Decision;
}

/** "user:a@b" → "a@b"; "api-key:ci" → "API key ci"; "signed-link" → "a signed link". */
function deciderLabel(d: Decision): string {
  if (d.decidedByUser) return d.decidedByUser.email;
  if (d.decidedBy.startsWith('user:')) return d.decidedBy.slice('user:'.length);
  if (d.decidedBy.startsWith('api-key:')) return `API key ${d.decidedBy.slice('api-key:'.length)}`;
  return d.decidedBy === 'signed-link' ? 'a signed link' : d.decidedBy;
}

export function ApprovalDecisionLine({ step }: { step: Step }) {
  const d = decisionOf(step);
  if (!d) return null;
  return (
    <div data-testid="approval-decider">
      {d.decision === 'approve' ? 'Approved' : 'Rejected'} by <strong>{deciderLabel(d)}</strong>{' '}
      <span className="muted">· via {d.via} · {formatTime(d.decidedAt)}</span>
      {d.comment ? <div className="muted">“{d.comment}”</div> : null}
    </div>
  );
}
