/** `trace_id`/`span_id` of the active span for log lines (a pino `mixin`); `{}` when tracing is off. */
import { trace } from '@opentelemetry/api';
import { isTracingEnabled } from './tracing-state';

/** A fresh object every call: pino merges the log line's fields into what the mixin returns. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  if (!isTracingEnabled()) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
