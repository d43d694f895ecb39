/**
 * A client span per outbound HTTP request of a node (redirects followed inside it), with `traceparent` sent
 * so the called service continues the run's trace. The query string is left out of `url.full` (it often
 * carries tokens). Tracing off: calls through with the request untouched.
 */
import { HttpAttr, injectTraceHeaders, isTracingEnabled, SpanKind, SpanStatusCode, withSpan } from '@outrun/telemetry';
import type { HttpRequestLike, HttpResponseLike } from '@outrun/engine';

export function traceHttpRequest<R extends HttpRequestLike>(req: R, send: (req: R) => Promise<HttpResponseLike>): Promise<HttpResponseLike> {
  if (!isTracingEnabled()) return send(req);
  const method = req.method.toUpperCase();
  let url: URL | undefined;
  try {
    url = new URL(req.url);
  } catch {
    return send(req); // the client rejects it with its own error
  }
  const attributes = {
    [HttpAttr.method]: method,
    [HttpAttr.url]: `${url.origin}${url.pathname}`,
    [HttpAttr.serverAddress]: url.hostname,
    [HttpAttr.serverPort]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  };
  return withSpan(method, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const headers = { ...req.headers };
    injectTraceHeaders(headers);
    const response = await send({ ...req, headers });
    span?.setAttribute(HttpAttr.statusCode, response.status);
    if (response.status >= 400) span?.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });
    return response;
  });
}
