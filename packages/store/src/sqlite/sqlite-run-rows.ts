import { emptyRunUsage, type Run, type RunSummary, type Step } from '@outrun/schemas';
import { compact } from '../shared/errors';
import { decodeStoredStep, type StoredStep } from '../shared/step-codec';

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

/** A step of a `run_steps` row selected with `STEP_COLUMNS`: JSON columns are TEXT, NULL = absent. */
export const rowToStep = (row: StoredStep<string | null>): Step => decodeStoredStep(row, parseColumn);
const parseColumn = (text: string | null | undefined): unknown => (text == null ? undefined : JSON.parse(text));

/** SQL list of the non-terminal statuses. */
export const UNFINISHED = "('queued', 'running')";
