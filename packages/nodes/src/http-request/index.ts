/**
 * `http-request`: calls an HTTP API through `ctx.services.http` (the SSRF-guarded pooled client).
 * Sends `Idempotency-Key: ctx.idempotencyKey` so receivers can deduplicate a retried step, injects the
 * credential, counts `webhooksCalled`, and outputs `{ status, headers, body }`.
 */
import { ErrorCode, UnexpectedError } from '@outrun/schemas';
import { defineNode, IN, OUT } from '../define-node';
import { buildRequest } from './build-request';
import { checkStatus, parseBody } from './handle-response';
import { HttpRequestParams } from './params';

export { HttpRequestParams, HttpCredential } from './params';
export { parseRetryAfter } from './handle-response';

export const httpRequestNode = defineNode({
  type: 'http-request',
  label: 'HTTP request',
  description: 'Calls an HTTP API (JSON, text or form body; credentials; retries on 5xx and 429).',
  category: 'http',
  icon: 'globe',
  params: HttpRequestParams,
  inputs: IN,
  outputs: OUT,
  async execute(ctx) {
    const http = ctx.services.http;
    if (!http) throw new UnexpectedError(ErrorCode.INTERNAL, 'No HTTP client in ctx.services.http (the runner must provide one)');
    const request = await buildRequest(ctx);
    const started = ctx.clock.now();
    const response = await http.request(request);
    ctx.log.info('http request', { method: request.method, host: new URL(request.url).host, status: response.status, durationMs: ctx.clock.now() - started });
    checkStatus(response, ctx.params, ctx.clock.now());
    return {
      output: { status: response.status, headers: response.headers, body: parseBody(response, ctx.params.responseType) },
      usage: { webhooksCalled: 1 },
    };
  },
});
