import { z } from 'zod';
import { Id } from './common';

/** W3C trace context (`traceparent` version 00 + optional `tracestate`) carried across a process boundary. */
export const TraceContext = z.strictObject({
  traceparent: z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'a W3C traceparent (00-<trace id>-<span id>-<flags>)'),
  tracestate: z.string().max(512).optional(),
});
export type TraceContext = z.infer<typeof TraceContext>;

/**
 * The queue job payload: the run is the source of truth, the job only points at it. `trace` continues the
 * accepting request's trace on the runner (absent when tracing is off or the job was re-enqueued by recovery).
 */
export const RunJob = z.strictObject({ workspaceId: Id, runId: Id, trace: TraceContext.optional() });
export type RunJob = z.infer<typeof RunJob>;

/** Events published for live views (SSE) when a step or a run changes. */
export const RunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), workspaceId: Id, workflowId: Id, runId: Id, status: z.string(), at: z.string() }),
  z.object({ type: z.literal('step'), workspaceId: Id, workflowId: Id, runId: Id, nodeId: Id, status: z.string(), at: z.string() }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
