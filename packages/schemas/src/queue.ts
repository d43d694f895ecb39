import { z } from 'zod';
import { Id } from './common';
import { RunStatus, StepStatus } from './run';

/** W3C trace context (`traceparent` version 00 + optional `tracestate`) carried across a process boundary. */
export const TraceContext = z.strictObject({
  traceparent: z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'a W3C traceparent (00-<trace id>-<span id>-<flags>)'),
  tracestate: z.string().max(512).optional(),
});
export type TraceContext = z.infer<typeof TraceContext>;

/**
 * What every queue job carries: the run it drives (the run in the store is the source of truth). Optional fields
 * common to every kind of job belong here: `trace` continues the accepting request's trace on the runner (absent
 * when tracing is off or the job was re-enqueued by recovery).
 */
export const RunJobBase = z.object({ workspaceId: Id, runId: Id, trace: TraceContext.optional() });

/**
 * The queue job payload, one member per reason a run is driven. Its job id is derived from it (`jobIdOf` in
 * `@outrun/queue`), never parsed back.
 * - `start`: the first job of a run (job id = run id, so enqueueing a run twice is a no-op).
 * - `resume`: continues a parked or waiting run at `resumeAt` (epoch ms); `signal` names the signal that woke it
 *   early (absent: the delay or the deadline elapsed).
 * - `retry`: run-level attempt `attempt` (2, 3, …) after an operational failure.
 */
export const RunJob = z.discriminatedUnion('kind', [
  z.strictObject({ ...RunJobBase.shape, kind: z.literal('start') }),
  z.strictObject({ ...RunJobBase.shape, kind: z.literal('resume'), resumeAt: z.number().int().nonnegative(), signal: Id.optional() }),
  z.strictObject({ ...RunJobBase.shape, kind: z.literal('retry'), attempt: z.number().int().min(2) }),
]);
export type RunJob = z.infer<typeof RunJob>;
export type RunJobKind = RunJob['kind'];

/** A tool call an AI step made (or got the answer of) while it streams. */
export const LiveToolCall = z.object({ callId: z.string().max(200), name: z.string().max(200), status: z.enum(['called', 'returned']) });
export type LiveToolCall = z.infer<typeof LiveToolCall>;

/**
 * Live output of a running AI step (run channel only, coalesced by the runner): `text` is what the model wrote
 * since the previous event of the same step attempt, so the `text` of events in `seq` order concatenated is the
 * streamed text. Best effort: the recorded step is the truth.
 */
const LiveOutputShape = {
  workspaceId: Id, workflowId: Id, runId: Id, nodeId: Id,
  attempt: z.number().int().min(1),
  seq: z.number().int().min(0),
  text: z.string(),
  toolCalls: z.array(LiveToolCall).optional(),
  at: z.string(),
};

/** Events published for live views (SSE) when a step or a run changes. */
export const RunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), workspaceId: Id, workflowId: Id, runId: Id, status: RunStatus, at: z.string() }),
  z.object({ type: z.literal('step'), workspaceId: Id, workflowId: Id, runId: Id, nodeId: Id, status: StepStatus, at: z.string() }),
  z.object({ type: z.literal('output'), ...LiveOutputShape }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
