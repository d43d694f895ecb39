import { StepUsage, type Step } from '@outrun/schemas';
import type { StepFinishInput, StepStartInput } from '@outrun/store';
import type { EngineStep } from '@outrun/engine';

/**
 * The engine's step is the schema's `Step` with instants as epoch ms (`EngineStep` is derived from it), so the only
 * mapping left is the instants — plus the schema's defaults on usage, and which fields each store write carries.
 */
const iso = (ms: number) => new Date(ms).toISOString();

/** A stored step as the engine reads it back on resume (ISO → epoch ms). */
export function toEngineStep(step: Step): EngineStep {
  const { startedAt, finishedAt, ...rest } = step;
  const out: EngineStep = { ...rest, startedAt: Date.parse(startedAt) };
  if (finishedAt !== undefined) out.finishedAt = Date.parse(finishedAt);
  return out;
}

/** The start write: what is known when the node begins. */
export function toStepStart(step: EngineStep): StepStartInput {
  const out: StepStartInput = { nodeId: step.nodeId, nodeType: step.nodeType, attempt: step.attempt, startedAt: iso(step.startedAt) };
  if (step.input !== undefined) out.input = step.input;
  return out;
}

/** The finish write. The input is not repeated: it was written with the start (the recorder adds it when the start was folded in). */
export function toStepFinish(step: EngineStep): StepFinishInput {
  // Field by field, not `{ ...rest }`: an object rest copy per step was ~3 µs of the runner's hot path.
  const finishedAt = step.finishedAt ?? step.startedAt;
  const out: StepFinishInput = {
    nodeId: step.nodeId, nodeType: step.nodeType, status: step.status, attempt: step.attempt,
    startedAt: iso(step.startedAt), finishedAt: iso(finishedAt), duration: step.duration ?? Math.max(0, finishedAt - step.startedAt),
  };
  if (step.output !== undefined) out.output = step.output;
  if (step.handle !== undefined) out.handle = step.handle;
  if (step.error !== undefined) out.error = step.error;
  if (step.usage !== undefined) out.usage = StepUsage.parse(step.usage);
  return out;
}
