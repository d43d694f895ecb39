import type { Run, RunStatus, RunSummary } from '@outrun/schemas';
import type { Collection, Document } from 'mongodb';
import { decodeStoredRun } from '../shared/run-codec';
import { decodeStoredStep, type StoredStep } from '../shared/step-codec';
import { names, type MongoContext } from './mongo-context';
import { decodeUserJson } from './mongo-user-json';

/** Non-terminal statuses, as a filter value. */
export const UNFINISHED = { $in: ['queued', 'running'] as RunStatus[] };

/** Largest stored size of a run document, under MongoDB's 16 MB limit with room for the envelope. */
export const RUN_DOC_BUDGET_BYTES = 15 * 1024 * 1024;

/** A step embedded in a run document: the stored step (`shared/step-codec.ts`) plus its input's and output's BSON bytes. */
export type MongoStepDocument = StoredStep<unknown> & { inBytes?: number; outBytes?: number };

/**
 * A document of `workflow_{ws}_runs`: the schema's run (its id as `_id`, steps embedded) plus internal fields —
 * stored BSON bytes, the duration and trigger type the statistics index, the stats mark, a delivered signal.
 */
export type MongoRunDocument = Omit<RunSummary, 'id' | 'usage'> & {
  _id: string;
  /** Absent on runs written before usage was recorded at creation. */
  usage?: RunSummary['usage'];
  steps?: MongoStepDocument[];
  storedBytes?: number;
  durationMs?: number | null;
  triggerType?: string;
  statsPending?: boolean;
  /** JSON text of `{signal, payload}` (see `deliverSignal`). */
  signalPayload?: string;
};

/** `workflow_{ws}_runs`, typed with its documents. */
export const runsCollection = async (ctx: Pick<MongoContext, 'collection'>, workspaceId: string): Promise<Collection<MongoRunDocument>> =>
  (await ctx.collection(names.runs(workspaceId))) as unknown as Collection<MongoRunDocument>;

/** The seed's run document (without internal fields) from a stored one (the shared run codec). */
export function toRunSummary(stored: Document): RunSummary {
  return decodeStoredRun(String(stored._id), stored as MongoRunDocument, storedAsIs);
}
/** Run-level values are stored as BSON values (written with `$literal`, no key escaping). */
const storedAsIs = (value: unknown): unknown => value;

/** A full run, steps included (decoded by the shared step codec). */
export function toRun(stored: Document): Run {
  const steps = ((stored as MongoRunDocument).steps ?? []).map((s) => decodeStoredStep(s, decodeUserJson));
  return { ...toRunSummary(stored), steps };
}

/** Projection of a run list (no steps, no internal fields). */
export const SUMMARY_PROJECTION = { steps: 0, storedBytes: 0, durationMs: 0, triggerType: 0, statsPending: 0, signalPayload: 0 } as const;
