import { StepUsage, type Step } from '@outrun/schemas';
import type { StepFinishInput, StepStartInput } from '@outrun/store';
import type { EngineStep } from '@outrun/engine';

const iso = (ms: number) => new Date(ms).toISOString();

/** A stored step as the engine reads it back on resume (ISO → epoch ms). */
export function toEngineStep(step: Step): EngineStep {
  const out: EngineStep = { nodeId: step.nodeId, nodeType: step.nodeType, status: step.status, attempt: step.attempt, startedAt: Date.parse(step.startedAt) };
  if (step.finishedAt !== undefined) out.finishedAt = Date.parse(step.finishedAt);
  if (step.duration !== undefined) out.duration = step.duration;
  if (step.input !== undefined) out.input = step.input;
  if (step.output !== undefined) out.output = step.output;
  if (step.handle !== undefined) out.handle = step.handle;
  if (step.error !== undefined) {
    const { code, message, nodeId, retriable } = step.error;
    out.error = { code, message, ...(nodeId !== undefined ? { nodeId } : {}), ...(retriable !== undefined ? { retriable } : {}) };
  }
  if (step.usage !== undefined) out.usage = step.usage;
  return out;
}

export function toStepStart(step: EngineStep): StepStartInput {
  const out: StepStartInput = { nodeId: step.nodeId, nodeType: step.nodeType, attempt: step.attempt, startedAt: iso(step.startedAt) };
  if (step.input !== undefined) out.input = step.input;
  return out;
}

export function toStepFinish(step: EngineStep): StepFinishInput {
  const finishedAt = step.finishedAt ?? step.startedAt;
  const out: StepFinishInput = {
    nodeId: step.nodeId,
    nodeType: step.nodeType,
    startedAt: iso(step.startedAt),
    status: step.status,
    attempt: step.attempt,
    finishedAt: iso(finishedAt),
    duration: step.duration ?? Math.max(0, finishedAt - step.startedAt),
  };
  if (step.output !== undefined) out.output = step.output;
  if (step.handle !== undefined) out.handle = step.handle;
  if (step.error !== undefined) out.error = step.error;
  if (step.usage !== undefined) out.usage = StepUsage.parse(step.usage);
  return out;
}
