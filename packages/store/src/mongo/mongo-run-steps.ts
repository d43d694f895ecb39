import type { Collection, Document } from 'mongodb';
import type { StepFinishInput, StepStartInput } from '../ports';
import { compact } from '../shared/errors';
import { isoInstant } from '../shared/time';
import { toStoredValue, truncatedMarker } from '../shared/truncate';
import { RUN_DOC_BUDGET_BYTES, UNFINISHED, type MongoRunDocument } from './mongo-run-docs';
import { bsonBytes, encodeUserJson } from './mongo-user-json';

/** BSON bytes of a step's fields other than input and output (ids, status, times, error, usage). */
const STEP_OVERHEAD_BYTES = 512;

/**
 * Upserts one embedded step atomically: `$set` of the matched `steps.$` when the node has a step, else `$push`
 * guarded by `steps.nodeId: {$ne}`, so two writers never lose or duplicate a step. `storedBytes` moves by the
 * step's change in BSON size, so a retry that replaces a step does not count it twice. No-op on terminal or
 * missing runs.
 */
async function upsertStep(runs: Collection<MongoRunDocument>, runId: string, workspaceId: string, nodeId: string, write: (existing: Document | null) => { set: Document; push: Document; delta: number }): Promise<void> {
  const base = { _id: runId as never, workspaceId, status: UNFINISHED };
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await currentStep(runs, runId, nodeId);
    const { set, push, delta } = write(existing.step);
    if (existing.step) {
      const updated = await runs.updateOne({ ...base, 'steps.nodeId': nodeId }, { $set: set, $inc: { storedBytes: delta } });
      if (updated.matchedCount > 0) return;
    } else {
      const pushed = await runs.updateOne({ ...base, 'steps.nodeId': { $ne: nodeId } }, { $push: { steps: push }, $inc: { storedBytes: delta } } as Document);
      if (pushed.matchedCount > 0) return;
    }
    // neither matched: the run is terminal/missing, or another writer pushed this node in between (retry)
    if (!(await runs.findOne(base, { projection: { _id: 1 } }))) return;
  }
}

/** The run's stored bytes and the node's step (its byte counts only). */
async function currentStep(runs: Collection<MongoRunDocument>, runId: string, nodeId: string): Promise<{ used: number; step: Document | null }> {
  const run = await runs.findOne({ _id: runId as never }, { projection: { storedBytes: 1, 'steps.nodeId': 1, 'steps.inBytes': 1, 'steps.outBytes': 1 } });
  const step = ((run?.steps as Document[] | undefined) ?? []).find((s) => s.nodeId === nodeId) ?? null;
  return { used: (run?.storedBytes as number | undefined) ?? 0, step };
}

interface Stored {
  value: unknown;
  bytes: number;
}

/** Stored form of a step input/output: truncated above `maxBytes` of JSON, `$`/dotted keys encoded, sized as BSON. */
function stored(value: unknown, maxBytes: number): Stored {
  const kept = toStoredValue(value, maxBytes).value;
  const encoded = kept === undefined ? undefined : encodeUserJson(kept);
  return { value: encoded, bytes: bsonBytes(encoded) };
}

/** A marker in place of `value` when the run's budget cannot take `wanted` more bytes. */
function withinBudget(value: unknown, entry: Stored, used: number, wanted: number): Stored {
  if (entry.bytes === 0 || used + wanted <= RUN_DOC_BUDGET_BYTES) return entry;
  const json = JSON.stringify(value);
  const marker = truncatedMarker(json, Buffer.byteLength(json));
  return { value: marker, bytes: bsonBytes(marker) };
}

/** recordStepStart on MongoDB: the step is replaced (a retry's start drops the earlier attempt's output). */
export async function recordMongoStepStart(runs: Collection<MongoRunDocument>, workspaceId: string, runId: string, step: StepStartInput, maxBytes: number): Promise<void> {
  const wanted = stored(step.input, maxBytes);
  const used = (await currentStep(runs, runId, step.nodeId)).used;
  await upsertStep(runs, runId, workspaceId, step.nodeId, (existing) => {
    const before = existing ? ((existing.inBytes as number | undefined) ?? 0) + ((existing.outBytes as number | undefined) ?? 0) : -STEP_OVERHEAD_BYTES;
    const input = withinBudget(step.input, wanted, used, wanted.bytes - before);
    const doc = compact({ nodeId: step.nodeId, nodeType: step.nodeType, status: 'running', attempt: step.attempt, startedAt: isoInstant(step.startedAt, 'startedAt'), input: input.value, inBytes: input.bytes, outBytes: 0 });
    return { set: { 'steps.$': doc }, push: doc, delta: input.bytes - before };
  });
}

/** recordStepFinish on MongoDB. */
export async function recordMongoStepFinish(runs: Collection<MongoRunDocument>, workspaceId: string, runId: string, step: StepFinishInput, maxBytes: number): Promise<void> {
  const wantedOut = stored(step.output, maxBytes);
  // The input comes with the finish only when no start was recorded separately (see StepFinishInput.input).
  const wantedIn = step.input === undefined ? null : stored(step.input, maxBytes);
  const used = (await currentStep(runs, runId, step.nodeId)).used;
  const finishedAt = isoInstant(step.finishedAt, 'finishedAt');
  await upsertStep(runs, runId, workspaceId, step.nodeId, (existing) => {
    const oldOut = existing ? ((existing.outBytes as number | undefined) ?? 0) : 0;
    const oldIn = existing ? ((existing.inBytes as number | undefined) ?? 0) : 0;
    const overhead = existing ? 0 : STEP_OVERHEAD_BYTES;
    const input = wantedIn ? withinBudget(step.input, wantedIn, used, wantedIn.bytes - oldIn + overhead) : null;
    const output = withinBudget(step.output, wantedOut, used + (input ? input.bytes - oldIn : 0), wantedOut.bytes - oldOut + overhead);
    const fields = compact({ status: step.status, attempt: step.attempt, finishedAt, duration: step.duration, output: output.value, outBytes: output.bytes, handle: step.handle, error: step.error, usage: step.usage, input: input?.value, inBytes: input?.bytes });
    const set: Document = {};
    for (const [k, v] of Object.entries(fields)) set[`steps.$.${k}`] = v;
    const push = compact({ nodeId: step.nodeId, nodeType: step.nodeType ?? '', startedAt: step.startedAt ?? finishedAt, ...fields, inBytes: input?.bytes ?? 0 });
    return { set, push, delta: output.bytes - oldOut + (input ? input.bytes - oldIn : 0) + overhead };
  });
}
