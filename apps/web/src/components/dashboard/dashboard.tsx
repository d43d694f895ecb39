'use client';
/**
 * Dashboard: workspace run totals and per-day charts over a period (in the URL), the slowest and the most
 * failing workflows; refreshes when runs finish (workspace event stream).
 */
import Link from 'next/link';
import dynamic from 'next/dynamic';
import { useMemo, useRef } from 'react';
import { useApiContext } from '../../lib/api-context';
import type { Api } from '../../lib/api';
import { loadWorkflowStats } from '../../lib/load-stats';
import { useAsync } from '../../lib/use-async';
import { useLiveEvents } from '../../lib/use-live-events';
import { useQueryState } from '../../lib/use-query-state';
import { formatCost, formatDuration, formatNumber, formatPercent } from '../../lib/format';
import { Empty, ErrorState, Loading } from '../states';

// recharts measures the DOM: load the charts on the client only, in their own chunk.
const chartLoading = () => <Loading label="Loading chart…" />;
const RunsByStatusChart = dynamic(() => import('./charts').then((m) => m.RunsByStatusChart), { ssr: false, loading: chartLoading });
const SuccessRateChart = dynamic(() => import('./charts').then((m) => m.SuccessRateChart), { ssr: false, loading: chartLoading });
const DurationChart = dynamic(() => import('./charts').then((m) => m.DurationChart), { ssr: false, loading: chartLoading });
const TokensCostChart = dynamic(() => import('./charts').then((m) => m.TokensCostChart), { ssr: false, loading: chartLoading });

async function loadDashboard(api: Api, days: number) {
  const [totals, workflows] = await Promise.all([api.workspaceStats(days), api.listWorkflows({ limit: 500 })]);
  const live = workflows.items.filter((w) => w.status !== 'archived').slice(0, 100);
  const per = await loadWorkflowStats(api, live.map((w) => w.id), days);
  const rows = live.map((w) => ({ id: w.id, name: w.name, stats: per[w.id] })).filter((r) => r.stats && r.stats.totalRuns > 0);
  const slowest = [...rows].sort((a, b) => (b.stats?.p95ExecutionTime ?? b.stats?.avgExecutionTime ?? 0) - (a.stats?.p95ExecutionTime ?? a.stats?.avgExecutionTime ?? 0)).slice(0, 5);
  const failing = rows.filter((r) => (r.stats?.failedRuns ?? 0) > 0).sort((a, b) => (b.stats?.failedRuns ?? 0) - (a.stats?.failedRuns ?? 0)).slice(0, 5);
  return { totals, slowest, failing };
}

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="card kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint ? <div className="field-help">{hint}</div> : null}
    </div>
  );
}

export function Dashboard() {
  const { api } = useApiContext();
  const [params, setParams] = useQueryState();
  const days = Number(params.get('days') ?? '30') || 30;
  const state = useAsync(api ? () => loadDashboard(api, days) : null, [api, days]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvents(api, 'workspace', (event, data) => {
    const status = (data as { status?: string } | null)?.status;
    if (event === 'status' && ['completed', 'failed', 'cancelled'].includes(status ?? '')) {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(state.reload, 1000);
    }
  });
  const perDay = useMemo(() => state.data?.totals.perDay ?? [], [state.data]);
  const t = state.data?.totals;
  const slowest = state.data?.slowest ?? [];
  const failing = state.data?.failing ?? [];

  return (
    <div className="page">
      <div className="page-head">
        <h1>Dashboard</h1>
        <span className="spacer" />
        <label className="row" style={{ flexDirection: 'row' }}>
          Period
          <select value={String(days)} onChange={(e) => setParams({ days: e.target.value === '30' ? null : e.target.value })}>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
          </select>
        </label>
      </div>
      {!api ? null : state.error ? (
        <ErrorState error={state.error} onRetry={state.reload} />
      ) : !t ? (
        <Loading label="Loading statistics…" />
      ) : (
        <>
          <div className="cards">
            <Kpi label="Runs" value={formatNumber(t.totalRuns)} hint={`${t.failedRuns} failed · ${t.cancelledRuns ?? 0} cancelled`} />
            <Kpi label="Success rate" value={formatPercent(t.successRate)} />
            <Kpi label="Avg duration" value={formatDuration(t.avgExecutionTime)} />
            <Kpi label="p95 duration" value={formatDuration(t.p95ExecutionTime)} />
            <Kpi label="AI tokens" value={formatNumber(t.aiTokensUsed)} />
            <div className="card kpi" data-testid="kpi-cost">
              <div className="kpi-label">Estimated cost</div>
              <div className="kpi-value">{formatCost(t.estimatedCost)}</div>
              {(t.unpricedCalls ?? 0) > 0 ? (
                <div className="field-help" data-testid="kpi-unpriced">
                  + {formatNumber(t.unpricedCalls ?? 0)} unpriced call(s), {formatNumber(t.unpricedTokens ?? 0)} tokens (not counted) · <Link href="/settings?tab=ai">add prices</Link>
                </div>
              ) : <div className="field-help">every AI call priced</div>}
            </div>
          </div>
          {t.totalRuns === 0 ? <Empty title="No runs in this period yet.">Activate a workflow and trigger it; the charts fill in live.</Empty> : null}
          <div className="grid-2">
            <section className="card chart-card" aria-label="Runs over time by status"><h2>Runs by status</h2><div style={{ height: 210 }}><RunsByStatusChart data={perDay} /></div></section>
            <section className="card chart-card" aria-label="Success rate per day"><h2>Success rate</h2><div style={{ height: 210 }}><SuccessRateChart data={perDay} /></div></section>
            <section className="card chart-card" aria-label="Average duration per day"><h2>Average duration</h2><div style={{ height: 210 }}><DurationChart data={perDay} /></div></section>
            <section className="card chart-card" aria-label="Tokens and cost per day"><h2>Tokens and estimated cost</h2><div style={{ height: 210 }}><TokensCostChart data={perDay} /></div></section>
          </div>
          <div className="grid-2">
            <section className="card">
              <h2>Slowest workflows (p95)</h2>
              {slowest.length === 0 ? <div className="muted">No runs yet.</div> : (
                <table className="table"><thead><tr><th>Workflow</th><th>p95</th><th>avg</th><th>runs</th></tr></thead><tbody>
                  {slowest.map((r) => (
                    <tr key={r.id}><td><Link href={`/workflows/${encodeURIComponent(r.id)}`}>{r.name}</Link></td><td>{formatDuration(r.stats?.p95ExecutionTime)}</td><td>{formatDuration(r.stats?.avgExecutionTime)}</td><td>{r.stats?.totalRuns}</td></tr>
                  ))}
                </tbody></table>
              )}
            </section>
            <section className="card">
              <h2>Most failing workflows</h2>
              {failing.length === 0 ? <div className="muted">No failures in this period.</div> : (
                <table className="table"><thead><tr><th>Workflow</th><th>failed</th><th>success rate</th><th /></tr></thead><tbody>
                  {failing.map((r) => (
                    <tr key={r.id}><td><Link href={`/workflows/${encodeURIComponent(r.id)}`}>{r.name}</Link></td><td>{r.stats?.failedRuns}</td><td>{formatPercent(r.stats?.successRate)}</td><td><Link href={`/runs?workflowId=${encodeURIComponent(r.id)}&status=failed`}>failed runs</Link></td></tr>
                  ))}
                </tbody></table>
              )}
            </section>
          </div>
        </>
      )}
    </div>
  );
}
