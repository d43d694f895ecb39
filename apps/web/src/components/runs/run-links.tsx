'use client';
/** Sub-workflow links of a run: "started by run X, step Y" on a child, and the child runs of a parent. */
import Link from 'next/link';
import type { Run } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { StatusBadge } from '../states';

export function RunLinks({ api, run }: { api: Api; run: Run }) {
  const hasWorkflowStep = run.steps.some((s) => s.nodeType === 'workflow');
  const children = useAsync(hasWorkflowStep ? () => api.listRuns({ parentRunId: run.id, limit: 50 }) : null, [api, run.id, hasWorkflowStep, run.steps.length, run.status]);
  const kids = children.data?.items ?? [];
  if (!run.parentRunId && kids.length === 0) return null;
  return (
    <section className="card stack" aria-label="Sub-workflows" data-testid="run-links">
      {run.parentRunId ? (
        <div data-testid="started-by">
          Started by run <Link className="mono" href={`/runs/${encodeURIComponent(run.parentRunId)}${run.parentStepId ? `?step=${encodeURIComponent(run.parentStepId)}` : ''}`}>{run.parentRunId}</Link>
          {run.parentStepId ? <>, step <code>{run.parentStepId}</code></> : null}
        </div>
      ) : null}
      {kids.length > 0 ? (
        <div className="stack">
          <h2 style={{ margin: 0 }}>Sub-workflow runs</h2>
          <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="child-runs">
            {kids.map((k) => (
              <li key={k.id} className="row">
                <StatusBadge status={k.status} />
                <Link className="mono" href={`/runs/${encodeURIComponent(k.id)}`}>{k.id}</Link>
                <span className="muted">from step <code>{k.parentStepId}</code></span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
