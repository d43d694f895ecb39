import type { JsonValue, SerializedError, Step, StepUsage } from '@outrun/schemas';

/**
 * The stored-step codec of both adapters. A stored step has the schema's `Step` fields under the same names
 * (SQLite selects its snake_case columns as these names, `STEP_COLUMNS`; MongoDB embeds the sub-document as is);
 * the adapters differ only in how a value is encoded:
 * - plain fields: an absent one is SQL NULL or a missing key;
 * - the four JSON-valued fields (`input`, `output`, `error`, `usage`): TEXT in SQLite (NULL = absent, `'null'` =
 *   JSON null), the BSON value in MongoDB (missing = absent; user keys escaped, `mongo-user-json.ts`).
 * The adapter's `decodeValue` turns an encoded value back into JSON, or `undefined` when absent.
 */
export type StepValueField = 'input' | 'output' | 'error' | 'usage';

export type StoredStep<Encoded> = Pick<Step, 'nodeId' | 'nodeType' | 'status' | 'attempt' | 'startedAt'> & {
  [K in 'finishedAt' | 'duration' | 'handle']?: Step[K] | null;
} & { [K in StepValueField]?: Encoded };

/** The `run_steps` columns under the schema's names, for a SELECT whose rows are `StoredStep<string | null>`. */
export const STEP_COLUMNS =
  'node_id AS nodeId, node_type AS nodeType, status, attempt, started_at AS startedAt, finished_at AS finishedAt, duration, input, output, handle, error, usage';

/** The schema's `Step` of a stored one; absent fields stay absent (never `undefined` keys). */
export function decodeStoredStep<Encoded>(stored: StoredStep<Encoded>, decodeValue: (value: Encoded | undefined) => unknown): Step {
  const step: Step = { nodeId: stored.nodeId, nodeType: stored.nodeType, status: stored.status, attempt: stored.attempt, startedAt: stored.startedAt };
  if (stored.finishedAt != null) step.finishedAt = stored.finishedAt;
  if (stored.duration != null) step.duration = stored.duration;
  const input = decodeValue(stored.input);
  if (input !== undefined) step.input = input as JsonValue;
  const output = decodeValue(stored.output);
  if (output !== undefined) step.output = output as JsonValue;
  if (stored.handle != null) step.handle = stored.handle;
  const error = decodeValue(stored.error);
  if (error !== undefined) step.error = error as SerializedError;
  const usage = decodeValue(stored.usage);
  if (usage !== undefined) step.usage = usage as StepUsage;
  return step;
}
