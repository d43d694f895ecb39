/**
 * The server span of one API request, named after its route template (`GET /api/workspaces/:ws/runs/:runId`),
 * so a tracing backend groups requests by route, not by id. Attributes: method, route, status and the workspace
 * id; never headers, query strings or bodies (keys and secrets travel there). An incoming `traceparent` is
 * continued when OUTRUN_TRACE_INCOMING_TRACEPARENT allows it, like webhooks. Tracing off: `next()` directly.
 */
import type { RequestHandler } from 'express';
import { contextFromCarrier, HttpAttr, isTracingEnabled, OutrunAttr, runInSpan, SpanKind, SpanStatusCode, startSpan, trustsIncomingTraceparent } from '@outrun/telemetry';
import type { Route } from './route';

export function traceRequest(route: Pick<Route, 'method' | 'path'>): RequestHandler {
  const method = route.method.toUpperCase();
  const name = `${method} ${route.path}`;
  return (req, res, next) => {
    if (!isTracingEnabled()) return next();
    const parent = contextFromCarrier(trustsIncomingTraceparent() ? { traceparent: req.get('traceparent'), tracestate: req.get('tracestate') } : undefined);
    const span = startSpan(name, { kind: SpanKind.SERVER, parent, attributes: { [HttpAttr.method]: method, [HttpAttr.route]: route.path } });
    res.once('close', () => {
      if (!span) return;
      const ws: unknown = req.params['ws'];
      if (typeof ws === 'string') span.setAttribute(OutrunAttr.workspaceId, ws);
      span.setAttribute(HttpAttr.statusCode, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    runInSpan(span, next);
  };
}
