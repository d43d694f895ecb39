'use client';
/** Workflows page: list with status, last run, success rate and runs today; search, status filter, create, import; per row duplicate, export, archive. */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { RunSummary, WorkflowSummary } from '@outrun/schemas';
import { useApiContext } from '../../lib/api-context';
import { useAsync } from '../../lib/use-async';
import { useQueryState } from '../../lib/use-query-state';
import { formatAgo, formatPercent } from '../../lib/format';
import type { Api, WorkflowStatsView } from '../../lib/api';
import { loadWorkflowStats } from '../../lib/load-stats';
import { Empty, ErrorState, InlineError, Loading, StatusBadge } from '../states';
import { ImportWorkflowButton, WorkflowRowActions } from './workflow-actions';
import { CreateWorkflowDialog } from './create-workflow-dialog';

const STATUSES = ['draft', 'active', 'paused', 'archived'] as const;

/** Loads every page of workflows (lists are capped at 500 per page). */
async function loadAll(api: Api, status: string | undefined): Promise<WorkflowSummary[]> {
  const out: WorkflowSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listWorkflows({ limit: 500, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < 5000);
  return out;
}

function runsToday(stats: WorkflowStatsView | undefined): number | undefined {
  if (!stats) return undefined;
  const today = new Date().toISOString().slice(0, 10);
  return stats.perDay.find((d) => d.date.slice(0, 10) === today)?.total ?? 0;
}

/** The latest run of each workflow, from one page of the workspace's most recent runs. */
async function loadLastRuns(api: Api): Promise<Record<string, RunSummary>> {
  const page = await api.listRuns({ limit: 500 });
  const last: Record<string, RunSummary> = {};
  for (const run of page.items) {
    const seen = last[run.workflowId];
    if (!seen || run.queuedAt > seen.queuedAt) last[run.workflowId] = run;
  }
  return last;
}

export function WorkflowList() {
  const { api, allowed } = useApiContext();
  const [params, setParams] = useQueryState();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const [creating, setCreating] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const router = useRouter();
  const list = useAsync(api ? () => loadAll(api, status || undefined) : null, [api, status]);
  const ids = useMemo(() => (list.data ?? []).map((w) => w.id).slice(0, 200), [list.data]);
  const stats = useAsync(api && ids.length > 0 ? () => loadWorkflowStats(api, ids) : null, [api, ids.join(',')]);
  const lastRuns = useAsync(api ? () => loadLastRuns(api) : null, [api]);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (list.data ?? []).filter((w) => !needle || w.name.toLowerCase().includes(needle) || w.id.toLowerCase().includes(needle));
  }, [list.data, q]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Workflows</h1>
        <span className="spacer" />
        {api && allowed('workflow:write') ? <ImportWorkflowButton api={api} onImported={(id) => router.push(`/workflows/${encodeURIComponent(id)}`)} /> : null}
        {allowed('workflow:write') ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={!api}>
            New workflow
          </button>
        ) : null}
      </div>
      <div className="filters">
        <label>
          Search
          <input type="search" value={q} placeholder="Name or id" onChange={(e) => setParams({ q: e.target.value })} aria-label="Search workflows" />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setParams({ status: e.target.value })} aria-label="Filter by status">
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <InlineError error={actionError} />
      {!api ? null : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.loading && !list.data ? (
        <Loading label="Loading workflows…" />
      ) : rows.length === 0 ? (
        <Empty title={q || status ? 'No workflow matches these filters.' : 'No workflows yet.'}>
          {q || status ? null : 'Create one from scratch or start from a template.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Version</th>
                <th>Last run</th>
                <th>Success rate</th>
                <th>Runs today</th>
                <th>Total runs</th>
                <th>Updated</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => {
                const s = stats.data?.[w.id];
                const total = s?.totalRuns ?? w.stats.totalRuns;
                const rate = s?.successRate ?? (total > 0 ? (s?.successfulRuns ?? w.stats.successfulRuns) / total : null);
                const today = runsToday(s);
                const last = lastRuns.data?.[w.id];
                return (
                  <tr key={w.id}>
                    <td className="wrap">
                      <Link href={`/workflows/${encodeURIComponent(w.id)}`}>{w.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={w.status} />
                    </td>
                    <td>v{w.version}</td>
                    <td>
                      {last ? (
                        <Link className="row" href={`/runs/${encodeURIComponent(last.id)}`}>
                          <StatusBadge status={last.status} />
                          {formatAgo(last.queuedAt)}
                        </Link>
                      ) : total > 0 ? (
                        <Link href={`/runs?workflowId=${encodeURIComponent(w.id)}`}>see runs</Link>
                      ) : (
                        <span className="muted">never</span>
                      )}
                    </td>
                    <td>{formatPercent(rate)}</td>
                    <td>{today ?? '—'}</td>
                    <td>{total}</td>
                    <td>{formatAgo(w.updatedAt)}</td>
                    <td>
                      <WorkflowRowActions api={api} workflow={w} onChanged={() => { setActionError(null); list.reload(); }} onError={setActionError} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {creating && api ? <CreateWorkflowDialog api={api} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
