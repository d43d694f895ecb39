'use client';
/**
 * One run: header, actions (cancel, retry whole / from failed step), step timeline, the selected step's input,
 * output, error and usage, and the trigger payload. Follows the run live over SSE until it ends.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Run, RunStatus, Step } from '@outrun/schemas';
import { useApiContext } from '../../lib/api-context';
import type { Api } from '../../lib/api';
import { useLiveEvents } from '../../lib/use-live-events';
import { useQueryState } from '../../lib/use-query-state';
import { useAsync } from '../../lib/use-async';
import { formatCost, formatDuration, formatExactCost, formatNumber, formatTime } from '../../lib/format';
import { JsonView } from '../json-view';
import { ErrorState, InlineError, Loading, StatusBadge } from '../states';
import { LiveOutputPanel, useLiveOutput } from './live-output';
import { StepTimeline, stepKey } from './step-timeline';
import { ApprovalPanel } from './approval-panel';
import { ApprovalDecisionLine } from './approval-decision';
import { ChildRunsUsageLine, ChildStepUsage, isChildUsageStep } from './child-usage';
import { RunLinks } from './run-links';
import { WaitingPanel } from './waiting-panel';

// Local (a runtime import of @outrun/schemas would ship zod to the browser).
const TERMINAL: ReadonlySet<RunStatus> = new Set<RunStatus>(['completed', 'failed', 'cancelled']);
const isTerminalRunStatus = (s: RunStatus): boolean => TERMINAL.has(s);

/** The settings page where a model gets a workspace price. */
const priceOverrideHref = (model: string | undefined) => `/settings?tab=ai${model ? `&model=${encodeURIComponent(model)}` : ''}`;

/** The run's trace in the tracing backend: `{traceId}` needs the run's stored trace id; `{runId}` always works. */
function traceLink(template: string | null | undefined, run: Pick<Run, 'id' | 'traceId'>): string | null {
  if (!template) return null;
  if (template.includes('{traceId}') && !run.traceId) return null;
  return template.replaceAll('{traceId}', encodeURIComponent(run.traceId ?? '')).replaceAll('{runId}', encodeURIComponent(run.id));
}

/** A step's cost and what priced it; unpriced models link to adding a price override. */
function StepCost({ usage }: { usage: NonNullable<Step['usage']> }) {
  if (usage.cost === null) {
    return (
      <>
        <span className="badge badge-paused" title="No price source knows this model: its cost is not counted">unpriced</span>{' '}
        <Link href={priceOverrideHref(usage.model)} data-testid="unpriced-hint">add a price override for {usage.model ?? 'this model'}</Link>
      </>
    );
  }
  const source = usage.priceSource === undefined ? null : `${usage.priceSource}${usage.priceVersion ? ` ${usage.priceVersion}` : ''}`;
  return (
    <>
      <span data-testid="step-cost">{formatExactCost(usage.cost)}</span>
      {source ? <span className="muted" data-testid="price-source"> · priced by <code>{source}</code></span> : null}
    </>
  );
}

function StepDetail({ step }: { step: Step }) {
  const u = step.usage;
  return (
    <section className="card stack" aria-label={`Step ${step.nodeId}`} data-testid="step-detail">
      <div className="row">
        <h2 style={{ margin: 0 }}>{step.nodeId}</h2>
        <StatusBadge status={step.status} />
        <span className="muted">{step.nodeType} · attempt {step.attempt} · {formatDuration(step.duration)}</span>
      </div>
      {step.handle ? <div>Took handle <code>{step.handle}</code></div> : null}
      <ApprovalDecisionLine step={step} />
      {step.error ? (
        <div className="inline-error">
          <code className="code-tag">{step.error.code}</code> {step.error.message}
        </div>
      ) : null}
      <ChildStepUsage step={step} />
      {u && (u.totalTokens > 0 || u.model) && !isChildUsageStep(step) ? (
        <dl className="props" aria-label="AI usage">
          <dt>Model</dt><dd>{u.model ?? '—'}</dd>
          <dt>Tokens</dt><dd>{formatNumber(u.inputTokens)} in ({formatNumber(u.cachedInputTokens)} cached) · {formatNumber(u.outputTokens)} out · {formatNumber(u.totalTokens)} total</dd>
          <dt>Cost</dt><dd><StepCost usage={u} /></dd>
        </dl>
      ) : null}
      <div className="detail-grid">
        <div>
          <h3>Input</h3>
          <JsonView value={step.input} label="step input" />
        </div>
        <div>
          <h3>Output</h3>
          <JsonView value={step.output} expandDepth={2} label="step output" />
        </div>
      </div>
    </section>
  );
}

function Actions({ api, run, onError }: { api: Api; run: Run; onError: (e: unknown) => void }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<{ runId: string } | unknown>) => {
    setBusy(true);
    onError(null);
    try {
      const out = await fn();
      if (out && typeof out === 'object' && 'runId' in out && typeof out.runId === 'string') router.push(`/runs/${encodeURIComponent(out.runId)}`);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const terminal = isTerminalRunStatus(run.status);
  return (
    <div className="row">
      {!terminal ? <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void act(() => api.cancelRun(run.id))}>Cancel run</button> : null}
      {terminal ? <button type="button" className="btn" disabled={busy} onClick={() => void act(() => api.retryRun(run.id, false))}>Retry run</button> : null}
      {run.status === 'failed' ? <button type="button" className="btn" disabled={busy} onClick={() => void act(() => api.retryRun(run.id, true))}>Retry from failed step</button> : null}
      <Link className="btn" href={`/workflows/${encodeURIComponent(run.workflowId)}`}>Open workflow</Link>
    </div>
  );
}

export function RunDetail({ runId }: { runId: string }) {
  const { api, config, allowed } = useApiContext();
  const [params, setParams] = useQueryState();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(async () => {
    if (!api) return;
    try {
      setRun(await api.getRun(runId));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, runId]);
  useEffect(() => {
    setRun(null);
    void load();
  }, [load]);

  const live = run !== null && !isTerminalRunStatus(run.status);
  const workflowId = run?.workflowId;
  const workflow = useAsync(api && workflowId ? () => api.getWorkflow(workflowId) : null, [api, workflowId]);
  // Steps are named as in the version the run executed (labels may have changed since).
  const pinned = run?.workflowVersion;
  const version = useAsync(api && workflowId && pinned ? () => api.getVersion(workflowId, pinned) : null, [api, workflowId, pinned]);
  const labels = useMemo(() => new Map((version.data?.nodes ?? []).map((n) => [n.id, n.label ? `${n.label}` : n.type])), [version.data]);
  // The stream sends a snapshot first, then step/status events; each event refetches the document (steps carry I/O).
  const { outputs, onOutput } = useLiveOutput();
  useLiveEvents(api, { runId }, (event, data) => {
    if (event === 'snapshot' && data && typeof data === 'object' && 'steps' in data) setRun(data as Run);
    else if (event === 'output') onOutput(data);
    else void load();
  }, { enabled: live, once: true, onOpen: () => void load() });
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [live]);

  if (!api) return null;
  if (error) return <div className="page"><ErrorState error={error} onRetry={() => void load()} /></div>;
  if (!run) return <div className="page"><Loading label="Loading run…" /></div>;
  const selectedKey = params.get('step') ?? (run.steps.find((s) => s.status === 'failed') ? stepKey(run.steps.find((s) => s.status === 'failed') as Step) : null);
  const selected = run.steps.find((s) => stepKey(s) === selectedKey || s.nodeId === selectedKey);
  const traceUrl = traceLink(config?.traceUrlTemplate, run);
  const runningSteps = new Set(live ? run.steps.filter((s) => s.status === 'running').map((s) => `${s.nodeId}#${s.attempt}`) : []);
  // A step whose start is not recorded yet still streams: show what arrived for a node with no finished attempt.
  for (const o of outputs) if (live && !run.steps.some((s) => s.nodeId === o.nodeId && s.attempt === o.attempt && s.status !== 'running')) runningSteps.add(`${o.nodeId}#${o.attempt}`);
  const duration = run.startedAt ? (run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt) : null;

  return (
    <div className="page">
      <div className="page-head">
        <Link href={`/runs?workflowId=${encodeURIComponent(run.workflowId)}`} className="btn btn-sm" aria-label="Back to runs">←</Link>
        <h1>Run <span className="mono">{run.id}</span></h1>
        <StatusBadge status={run.status} />
        {live ? <span className="muted" role="status"><span className="spinner" aria-hidden="true" /> live</span> : null}
        <span className="spacer" />
        {traceUrl ? <a className="btn btn-sm" href={traceUrl} target="_blank" rel="noreferrer" data-testid="trace-link">View trace ↗</a> : null}
        {allowed('run:operate') ? <Actions api={api} run={run} onError={setActionError} /> : null}
      </div>
      <InlineError error={actionError} />
      {run.error ? (
        <div className="inline-error" role="alert">
          <code className="code-tag">{run.error.code}</code> {run.error.message}{run.error.nodeId ? <> (node <code>{run.error.nodeId}</code>)</> : null}
        </div>
      ) : null}
      <div className="cards">
        <div className="card kpi"><div className="kpi-label">Workflow</div><div><Link href={`/workflows/${encodeURIComponent(run.workflowId)}`}>{workflow.data?.name ?? run.workflowId}</Link> <span className="muted">v{run.workflowVersion}</span></div></div>
        <div className="card kpi"><div className="kpi-label">Trigger</div><div>{run.triggeredBy.type.replace('_', ' ')} <span className="muted mono">{run.triggeredBy.source}</span></div></div>
        <div className="card kpi"><div className="kpi-label">Duration</div><div className="kpi-value">{formatDuration(duration)}</div></div>
        <div className="card kpi"><div className="kpi-label">AI tokens · cost</div><div className="kpi-value">{formatNumber(run.usage.aiTokensUsed)} · {formatCost(run.usage.estimatedCost)}</div>{run.usage.unpricedCalls > 0 ? <div className="field-help" data-testid="run-unpriced">{run.usage.unpricedCalls} unpriced call(s) not included · <Link href={priceOverrideHref(run.steps.find((s) => s.usage?.cost === null)?.usage?.model)}>add a price</Link></div> : null}<ChildRunsUsageLine run={run} /></div>
        <div className="card kpi"><div className="kpi-label">Webhooks called</div><div className="kpi-value">{run.usage.webhooksCalled}</div></div>
      </div>
      <dl className="props card">
        <dt>Queued</dt><dd>{formatTime(run.queuedAt)}</dd>
        <dt>Started</dt><dd>{formatTime(run.startedAt)}</dd>
        <dt>Finished</dt><dd>{formatTime(run.finishedAt)}</dd>
        <dt>Attempt</dt><dd>{run.attempt}</dd>
        {run.retryOf ? (<><dt>Retry of</dt><dd><Link href={`/runs/${encodeURIComponent(run.retryOf)}`} className="mono">{run.retryOf}</Link></dd></>) : null}
      </dl>
      <LiveOutputPanel outputs={outputs} running={runningSteps} />
      {allowed('run:operate') ? <ApprovalPanel api={api} run={run} onDecided={() => void load()} /> : null}
      <RunLinks api={api} run={run} />
      <WaitingPanel run={run} />
      <section className="card stack">
        <h2>Steps</h2>
        <StepTimeline run={run} labels={labels} selected={selected ? stepKey(selected) : null} onSelect={(k) => setParams({ step: k })} now={now} />
      </section>
      {selected ? <StepDetail step={selected} /> : <p className="muted">Select a step to see its input and output.</p>}
      <div className="detail-grid">
        <section className="card stack"><h2>Trigger payload</h2><JsonView value={run.triggeredBy.payload} expandDepth={2} label="trigger payload" /></section>
        <section className="card stack"><h2>Run output</h2><JsonView value={run.output} expandDepth={2} label="run output" /></section>
      </div>
    </div>
  );
}
