/**
 * W3C trace context across process boundaries: into and out of a queue job (`RunJob.trace`) and HTTP headers.
 */
import { context, propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { TraceContext } from '@outrun/schemas';
import { isTracingEnabled } from './tracing-state';

/** The active span's context as a `traceparent` carrier, or undefined (tracing off, or no span). */
export function currentTraceContext(): TraceContext | undefined {
  if (!isTracingEnabled() || trace.getActiveSpan() === undefined) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const parsed = TraceContext.safeParse(carrier);
  return parsed.success ? parsed.data : undefined;
}

/** A parent context from a carrier (job field or headers); the root context when it is absent or malformed. */
export function contextFromCarrier(carrier: { traceparent?: string | undefined; tracestate?: string | undefined } | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  const parsed = TraceContext.safeParse({ traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) });
  if (!parsed.success) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, parsed.data);
}

/** Adds `traceparent` (and `tracestate`) of the active span to outbound headers; nothing when tracing is off. */
export function injectTraceHeaders(headers: Record<string, string>): void {
  const carrier = currentTraceContext();
  if (!carrier) return;
  headers['traceparent'] = carrier.traceparent;
  if (carrier.tracestate) headers['tracestate'] = carrier.tracestate;
}
