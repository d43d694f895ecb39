/**
 * The queue's part of a run's trace: a producer span per accepted run whose context travels inside the job
 * (`RunJob.trace`), so the runner's attempt span is its child in another process. Off: no span, no field.
 */
import type { Run, TraceContext } from '@outrun/schemas';
import { currentTraceContext, isTracingEnabled, OutrunAttr, SpanKind, startSpan, withSpan, type Attributes } from '@outrun/telemetry';

/** Attributes of the span that accepts `run`. */
export function acceptSpanAttributes(run: Run): Attributes {
  return {
    [OutrunAttr.workspaceId]: run.workspaceId,
    [OutrunAttr.workflowId]: run.workflowId,
    [OutrunAttr.workflowVersion]: run.workflowVersion,
    [OutrunAttr.runId]: run.id,
    [OutrunAttr.triggerType]: run.triggeredBy.type,
    ...(run.triggeredBy.triggerId !== undefined ? { [OutrunAttr.triggerId]: run.triggeredBy.triggerId } : {}),
  };
}

/** Runs the enqueue inside a `run.queued` producer span and hands it the job's `trace` field. */
export function withJobTrace<T>(attributes: Attributes, enqueue: (trace: { trace?: TraceContext }) => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return enqueue({});
  return withSpan('run.queued', { kind: SpanKind.PRODUCER, attributes }, () => {
    const trace = currentTraceContext();
    return enqueue(trace ? { trace } : {});
  });
}

/**
 * Batch enqueue (schedules): one producer span per fresh run, ended at once (the batch is one round trip);
 * its context goes into that run's job.
 */
export function jobTraceOf(run: Run): { trace?: TraceContext } {
  const span = startSpan('run.queued', { kind: SpanKind.PRODUCER, attributes: acceptSpanAttributes(run) });
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  span.end();
  return { trace: { traceparent: `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}` } };
}
