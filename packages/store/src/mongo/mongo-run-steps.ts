import type { Collection, Document } from 'mongodb';
import type { StepFinishInput, StepStartInput } from '../ports';
import { compact } from '../shared/errors';
import { isoInstant } from '../shared/time';
import { toStoredValue, truncatedMarker } from '../shared/truncate';
import { RUN_DOC_BUDGET_BYTES, UNFINISHED } from './mongo-run-docs';

/**
 * Upserts one embedded step atomically: `$set` of the matched `steps.$` when the node has a step, else `$push`
 * guarded by `steps.nodeId: {$ne}`, so two writers never lose or duplicate a step. Runs near the 16 MB document
 * limit store truncation markers instead of the values. No-op on terminal or missing runs.
 */
async function upsertStep(runs: Collection, runId: string, workspaceId: string, nodeId: string, set: Document, push: Document, bytes: number): Promise<void> {
  const base = { _id: runId as never, workspaceId, status: UNFINISHED };
  for (let attempt = 0; attempt < 3; attempt++) {
    const updated = await runs.updateOne({ ...base, 'steps.nodeId': nodeId }, { $set: set, $inc: { storedBytes: bytes } });
    if (updated.matchedCount > 0) return;
    const pushed = await runs.updateOne({ ...base, 'steps.nodeId': { $ne: nodeId } }, { $push: { steps: push }, $inc: { storedBytes: bytes } } as Document);
    if (pushed.matchedCount > 0) return;
    // neither matched: the run is terminal/missing, or another writer pushed this node in between (retry the $set)
    if (!(await runs.findOne({ ...base, 'steps.nodeId': nodeId }, { projection: { _id: 1 } }))) return;
  }
}

/** Stored value of a step input/output, truncated per step and against the run's remaining budget. */
async function budgeted(runs: Collection, runId: string, value: unknown, maxBytes: number): Promise<{ value: unknown; bytes: number }> {
  const stored = toStoredValue(value, maxBytes);
  if (stored.bytes === 0) return stored;
  const run = await runs.findOne({ _id: runId as never }, { projection: { storedBytes: 1 } });
  const used = (run?.storedBytes as number | undefined) ?? 0;
  if (used + stored.bytes <= RUN_DOC_BUDGET_BYTES) return stored;
  const json = JSON.stringify(value);
  const marker = truncatedMarker(json, Buffer.byteLength(json));
  return { value: marker, bytes: Buffer.byteLength(JSON.stringify(marker)) };
}

/** recordStepStart on MongoDB. */
export async function recordMongoStepStart(runs: Collection, workspaceId: string, runId: string, step: StepStartInput, maxBytes: number): Promise<void> {
  const input = await budgeted(runs, runId, step.input, maxBytes);
  const doc = compact({ nodeId: step.nodeId, nodeType: step.nodeType, status: 'running', attempt: step.attempt, startedAt: isoInstant(step.startedAt, 'startedAt'), input: input.value });
  await upsertStep(runs, runId, workspaceId, step.nodeId, { 'steps.$': doc }, doc, input.bytes + 200);
}

/** recordStepFinish on MongoDB. */
export async function recordMongoStepFinish(runs: Collection, workspaceId: string, runId: string, step: StepFinishInput, maxBytes: number): Promise<void> {
  const output = await budgeted(runs, runId, step.output, maxBytes);
  // The input comes with the finish only when no start was recorded separately (see StepFinishInput.input).
  const input = step.input === undefined ? { value: undefined, bytes: 0 } : await budgeted(runs, runId, step.input, maxBytes);
  const finishedAt = isoInstant(step.finishedAt, 'finishedAt');
  const fields = compact({ status: step.status, attempt: step.attempt, finishedAt, duration: step.duration, output: output.value, handle: step.handle, error: step.error, usage: step.usage, input: input.value });
  const set: Document = {};
  for (const [k, v] of Object.entries(fields)) set[`steps.$.${k}`] = v;
  const push = compact({ nodeId: step.nodeId, nodeType: step.nodeType ?? '', startedAt: step.startedAt ?? finishedAt, ...fields });
  await upsertStep(runs, runId, workspaceId, step.nodeId, set, push, output.bytes + input.bytes + 200);
}
