/**
 * The server span of one webhook request: the root of a run's trace, or a child of the caller's span when
 * the request carries a `traceparent` and OUTRUN_TRACE_INCOMING_TRACEPARENT allows it. Tracing off: calls through.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contextFromCarrier, HttpAttr, isTracingEnabled, OutrunAttr, SpanKind, trustsIncomingTraceparent, withSpan } from '@outrun/telemetry';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function traceWebhook(req: IncomingMessage, res: ServerResponse, ids: { workspaceId: string; triggerId: string }, handle: () => Promise<void>): Promise<void> {
  if (!isTracingEnabled()) return handle();
  const parent = trustsIncomingTraceparent()
    ? contextFromCarrier({ traceparent: first(req.headers['traceparent']), tracestate: first(req.headers['tracestate']) })
    : contextFromCarrier(undefined);
  const attributes = {
    [HttpAttr.method]: req.method ?? 'GET',
    [HttpAttr.route]: '/webhook/:workspaceId/:triggerId',
    [OutrunAttr.workspaceId]: ids.workspaceId,
    [OutrunAttr.triggerId]: ids.triggerId,
  };
  return withSpan(`${req.method ?? 'GET'} /webhook/:workspaceId/:triggerId`, { kind: SpanKind.SERVER, attributes, parent }, async (span) => {
    try {
      await handle();
    } finally {
      span?.setAttribute(HttpAttr.statusCode, res.statusCode);
    }
  });
}
