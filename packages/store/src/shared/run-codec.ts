import { emptyRunUsage, type JsonValue, type RunResponse, type RunSummary, type RunUsage, type SerializedError, type TriggeredBy } from '@outrun/schemas';

/**
 * The stored-run codec of both adapters, like the step codec (`step-codec.ts`): a stored run has the schema's run
 * fields under the same names (SQLite selects its columns as these names, `RUN_COLUMNS`; MongoDB stores the
 * document as is, its id as `_id`), an absent plain field is NULL or a missing key, and the JSON-valued fields are
 * in the adapter's encoding (TEXT in SQLite, the BSON value in MongoDB) for its `decodeValue` to turn back into JSON.
 */
export type RunValueField = 'triggeredBy' | 'usage' | 'error' | 'output' | 'response';
type OptionalRunField = 'idempotencyKey' | 'retryOf' | 'startedAt' | 'finishedAt' | 'resumeAt' | 'traceId' | 'waitingFor' | 'parentRunId' | 'parentStepId';

export type StoredRun<Encoded> = Pick<RunSummary, 'workspaceId' | 'workflowId' | 'workflowVersion' | 'status' | 'attempt' | 'queuedAt'> & {
  [K in OptionalRunField]?: RunSummary[K] | null;
} & { [K in RunValueField]?: Encoded };

/** The `runs` columns under the schema's names, for a SELECT whose rows are `StoredRun<string | null> & { id }`. */
export const RUN_COLUMNS =
  'workspace_id AS workspaceId, id, workflow_id AS workflowId, workflow_version AS workflowVersion, status, triggered_by AS triggeredBy, attempt, error, ' +
  'idempotency_key AS idempotencyKey, retry_of AS retryOf, output, response, usage, queued_at AS queuedAt, started_at AS startedAt, finished_at AS finishedAt, ' +
  'resume_at AS resumeAt, trace_id AS traceId, waiting_for AS waitingFor, parent_run_id AS parentRunId, parent_step_id AS parentStepId';

/** The schema's run summary (no steps) of a stored run; absent fields stay absent, a missing usage reads as empty. */
export function decodeStoredRun<Encoded>(id: string, stored: StoredRun<Encoded>, decodeValue: (value: Encoded | undefined) => unknown): RunSummary {
  // Built in the order the fields have always been answered in (JSON key order of the API); `queuedAt` follows.
  const run = {
    id,
    workspaceId: stored.workspaceId,
    workflowId: stored.workflowId,
    workflowVersion: stored.workflowVersion,
    status: stored.status,
    triggeredBy: decodeValue(stored.triggeredBy) as TriggeredBy,
    usage: (decodeValue(stored.usage) as RunUsage | undefined) ?? emptyRunUsage(),
    attempt: stored.attempt,
  } as RunSummary;
  const error = decodeValue(stored.error);
  if (error !== undefined) run.error = error as SerializedError;
  if (stored.idempotencyKey != null) run.idempotencyKey = stored.idempotencyKey;
  if (stored.retryOf != null) run.retryOf = stored.retryOf;
  const output = decodeValue(stored.output);
  if (output !== undefined) run.output = output as JsonValue;
  const response = decodeValue(stored.response);
  if (response !== undefined) run.response = response as RunResponse;
  run.queuedAt = stored.queuedAt;
  if (stored.startedAt != null) run.startedAt = stored.startedAt;
  if (stored.finishedAt != null) run.finishedAt = stored.finishedAt;
  if (stored.resumeAt != null) run.resumeAt = stored.resumeAt;
  if (stored.traceId != null) run.traceId = stored.traceId;
  if (stored.waitingFor != null) run.waitingFor = stored.waitingFor;
  if (stored.parentRunId != null) run.parentRunId = stored.parentRunId;
  if (stored.parentStepId != null) run.parentStepId = stored.parentStepId;
  return run;
}
