'use client';
/**
 * Run history: filters (workflow, status, trigger type, time range) kept in the URL, pages of 500 loaded on
 * scroll, virtualized rows, and live status changes from the workspace event stream.
 */
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunSummary, WorkflowSummary } from '@outrun/schemas';
import { useApiContext } from '../../lib/api-context';
import type { RunFilters } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { useLiveEvents } from '../../lib/use-live-events';
import { useQueryState } from '../../lib/use-query-state';
import { formatAgo, formatCost, formatDuration, formatTime } from '../../lib/format';
import { Empty, ErrorState, Loading, StatusBadge } from '../states';
import { VirtualRows } from './virtual-rows';

const RANGES = [
  ['', 'Any time'],
  ['1h', 'Last hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
] as const;
const RANGE_MS: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** ISO (URL) ↔ `datetime-local` input value in the browser's time zone. */
const toLocalInput = (iso: string | null): string => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string): string | null => (value ? new Date(value).toISOString() : null);

const durationOf = (r: RunSummary): number | null => (r.startedAt && r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : null);

export function RunList() {
  const { api } = useApiContext();
  const [params, setParams] = useQueryState();
  const filters = useMemo(() => {
    const f: RunFilters = { limit: 500 };
    for (const key of ['workflowId', 'status', 'triggerType', 'from', 'to'] as const) {
      const v = params.get(key);
      if (v) f[key] = v;
    }
    const range = params.get('range');
    if (range && RANGE_MS[range]) f.from = new Date(Date.now() - RANGE_MS[range]).toISOString();
    return f;
  }, [params]);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const loadingMore = useRef(false);
  const workflows = useAsync(api ? () => api.listWorkflows({ limit: 500 }) : null, [api]);
  const names = useMemo(() => new Map((workflows.data?.items ?? []).map((w: WorkflowSummary) => [w.id, w.name])), [workflows.data]);

  const loadFirst = useCallback(async () => {
    if (!api) return;
    try {
      const page = await api.listRuns(filters);
      setRuns(page.items);
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [api, filters]);
  useEffect(() => {
    setLoading(true);
    void loadFirst();
  }, [loadFirst]);

  const loadMore = useCallback(() => {
    if (!api || !cursor || loadingMore.current) return;
    loadingMore.current = true;
    api.listRuns({ ...filters, cursor })
      .then((page) => {
        setRuns((rs) => [...rs, ...page.items]);
        setCursor(page.nextCursor);
      })
      .catch(setError)
      .finally(() => {
        loadingMore.current = false;
      });
  }, [api, cursor, filters]);

  // Live: patch statuses in place; a run we have not seen triggers a (debounced) refresh of the first page.
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvents(api, 'workspace', (event, data) => {
    if (event !== 'status' || !data || typeof data !== 'object') return;
    const { runId, status } = data as { runId?: string; status?: string };
    let known = false;
    setRuns((rs) => rs.map((r) => (r.id === runId ? ((known = true), { ...r, status: status as RunSummary['status'] }) : r)));
    if (!known || ['completed', 'failed', 'cancelled'].includes(status ?? '')) {
      if (refresh.current) clearTimeout(refresh.current);
      refresh.current = setTimeout(() => void loadFirst(), 400);
    }
  });

  const header = (
    <div className="vlist-head runs-cols" role="row">
      <span role="columnheader">Status</span>
      <span role="columnheader">Workflow</span>
      <span role="columnheader">Trigger</span>
      <span role="columnheader">Queued</span>
      <span role="columnheader">Duration</span>
      <span role="columnheader">Tokens · cost</span>
      <span role="columnheader">Error</span>
      <span role="columnheader">Run id</span>
    </div>
  );

  return (
    <div className="page" style={{ height: '100%' }}>
      <div className="page-head">
        <h1>Runs</h1>
        <span className="muted">{runs.length > 0 ? `${runs.length}${cursor ? '+' : ''} runs` : ''}</span>
      </div>
      <div className="filters">
        <label>
          Workflow
          <select value={params.get('workflowId') ?? ''} onChange={(e) => setParams({ workflowId: e.target.value })}>
            <option value="">All workflows</option>
            {(workflows.data?.items ?? []).map((w) => (
              <option key={w.id} value={w.id}>{w.name}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={params.get('status') ?? ''} onChange={(e) => setParams({ status: e.target.value })}>
            <option value="">All</option>
            {['queued', 'running', 'completed', 'failed', 'cancelled'].map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Trigger
          <select value={params.get('triggerType') ?? ''} onChange={(e) => setParams({ triggerType: e.target.value })}>
            <option value="">All</option>
            {['webhook', 'schedule', 'data_change', 'manual'].map((s) => <option key={s} value={s}>{s.replace('_', ' ')}</option>)}
          </select>
        </label>
        <label>
          Time range
          <select value={params.get('range') ?? ''} onChange={(e) => setParams({ range: e.target.value, from: null, to: null })}>
            {RANGES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={toLocalInput(params.get('from'))} onChange={(e) => setParams({ from: fromLocalInput(e.target.value), range: null })} />
        </label>
        <label>
          To
          <input type="datetime-local" value={toLocalInput(params.get('to'))} onChange={(e) => setParams({ to: fromLocalInput(e.target.value), range: null })} />
        </label>
        <button type="button" className="btn" onClick={() => void loadFirst()}>Refresh</button>
      </div>
      {!api ? null : error ? (
        <ErrorState error={error} onRetry={() => void loadFirst()} />
      ) : loading && runs.length === 0 ? (
        <Loading label="Loading runs…" />
      ) : runs.length === 0 ? (
        <Empty title="No runs match these filters.">Runs appear here as soon as a trigger fires or you press “Run now”.</Empty>
      ) : (
        <VirtualRows
          items={runs}
          rowHeight={38}
          headerHeight={34}
          header={header}
          label="Runs"
          onEndReached={loadMore}
          renderRow={(r, _i, style) => (
            <Link key={r.id} href={`/runs/${encodeURIComponent(r.id)}`} className="vlist-row runs-cols" role="row" style={style} data-run-id={r.id} data-status={r.status}>
              <span><StatusBadge status={r.status} /></span>
              <span title={r.workflowId}>{names.get(r.workflowId) ?? r.workflowId} <span className="muted">v{r.workflowVersion}</span></span>
              <span>{r.triggeredBy.test ? <span className="badge badge-test" data-testid="test-run-badge" title="A test run from the editor: not counted in production stats" style={{ marginRight: 4 }}>test</span> : null}{r.triggeredBy.type.replace('_', ' ')}</span>
              <span title={formatTime(r.queuedAt)}>{formatAgo(r.queuedAt)}</span>
              <span>{formatDuration(durationOf(r))}</span>
              <span>{r.usage.aiTokensUsed > 0 ? `${r.usage.aiTokensUsed} · ${r.usage.unpricedCalls > 0 ? 'unpriced' : formatCost(r.usage.estimatedCost)}` : '—'}</span>
              <span className="run-error" title={r.error ? `${r.error.code}: ${r.error.message}` : undefined} data-testid="run-error">{r.error ? r.error.message : ''}</span>
              <span className="mono muted">{r.id}{r.retryOf ? ' ↻' : ''}</span>
            </Link>
          )}
        />
      )}
    </div>
  );
}
