import type { Run, RunSummary, Step } from '@outrun/schemas';
import { decodeStoredRun, type StoredRun } from '../shared/run-codec';
import { decodeStoredStep, type StoredStep } from '../shared/step-codec';

/** The `runs` columns that single-column queries read by their own names (a run is read with `RUN_COLUMNS`). */
export interface RunRow {
  pk: number;
  workspace_id: string;
  id: string;
  workflow_id: string;
  status: Run['status'];
  started_at: string | null;
  resume_at: string | null;
}

/** A run row selected with `RUN_COLUMNS`: JSON columns are TEXT, NULL = absent. */
export type StoredRunRow = StoredRun<string | null> & { id: string };

/** The run summary (no steps) of a row selected with `RUN_COLUMNS`. */
export const rowToRunSummary = (row: StoredRunRow): RunSummary => decodeStoredRun(row.id, row, parseColumn);

/** A step of a `run_steps` row selected with `STEP_COLUMNS`: JSON columns are TEXT, NULL = absent. */
export const rowToStep = (row: StoredStep<string | null>): Step => decodeStoredStep(row, parseColumn);
const parseColumn = (text: string | null | undefined): unknown => (text == null ? undefined : JSON.parse(text));

/** SQL list of the non-terminal statuses. */
export const UNFINISHED = "('queued', 'running')";
