import { emptyRunUsage, type Run, type RunSummary, type Step } from '@outrun/schemas';
import { compact } from '../shared/errors';

/** A row of `runs`. JSON columns are TEXT. */
export interface RunRow {
  pk: number;
  workspace_id: string;
  id: string;
  workflow_id: string;
  workflow_version: number;
  status: Run['status'];
  trigger_type: string;
  triggered_by: string;
  attempt: number;
  error: string | null;
  idempotency_key: string | null;
  retry_of: string | null;
  output: string | null;
  response: string | null;
  usage: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  resume_at: string | null;
  waiting_for?: string | null;
  parent_run_id?: string | null;
  parent_step_id?: string | null;
  duration_ms: number | null;
  /** Migration 10; absent from rows selected without it. */
  trace_id?: string | null;
}

/** A row of `run_steps`. */
export interface StepRow {
  node_id: string;
  node_type: string;
  status: Step['status'];
  attempt: number;
  started_at: string;
  finished_at: string | null;
  duration: number | null;
  input: string | null;
  output: string | null;
  handle: string | null;
  error: string | null;
  usage: string | null;
}

const json = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

/** The run summary (no steps) of a row. */
export function rowToRunSummary(r: RunRow): RunSummary {
  return compact({
    id: r.id,
    workspaceId: r.workspace_id,
    workflowId: r.workflow_id,
    workflowVersion: r.workflow_version,
    status: r.status,
    triggeredBy: JSON.parse(r.triggered_by) as Run['triggeredBy'],
    usage: json<Run['usage']>(r.usage) ?? emptyRunUsage(),
    attempt: r.attempt,
    error: json<Run['error']>(r.error),
    idempotencyKey: r.idempotency_key ?? undefined,
    retryOf: r.retry_of ?? undefined,
    output: json<Run['output']>(r.output),
    response: json<Run['response']>(r.response),
    queuedAt: r.queued_at,
    startedAt: r.started_at ?? undefined,
    finishedAt: r.finished_at ?? undefined,
    resumeAt: r.resume_at ?? undefined,
    traceId: r.trace_id ?? undefined,
    waitingFor: r.waiting_for ?? undefined,
    parentRunId: r.parent_run_id ?? undefined,
    parentStepId: r.parent_step_id ?? undefined,
  });
}

/** A step of a `run_steps` row. */
export function rowToStep(r: StepRow): Step {
  return compact({
    nodeId: r.node_id,
    nodeType: r.node_type,
    status: r.status,
    attempt: r.attempt,
    startedAt: r.started_at,
    finishedAt: r.finished_at ?? undefined,
    duration: r.duration ?? undefined,
    input: json<Step['input']>(r.input),
    output: json<Step['output']>(r.output),
    handle: r.handle ?? undefined,
    error: json<Step['error']>(r.error),
    usage: json<Step['usage']>(r.usage),
  });
}

/** SQL list of the non-terminal statuses. */
export const UNFINISHED = "('queued', 'running')";
