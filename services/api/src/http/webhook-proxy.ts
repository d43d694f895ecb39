/**
 * `/webhook/*` on the gateway: forwarded to the listener unchanged (method, path, raw body bytes, headers;
 * status, headers and body back), streamed both ways with `node:http`. In embedded mode the listener's
 * request handler is called in-process instead.
 */
import http, { type IncomingHttpHeaders, type RequestListener } from 'node:http';
import https from 'node:https';
import type { RequestHandler } from 'express';
import type { Logger } from '@outrun/config';
import { ErrorCode } from '@outrun/schemas';
import { errorBody } from './errors';
import { requestLog } from './request-id';
import type { ExtraOperation } from './openapi';

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

export interface WebhookProxyOptions {
  listenerUrl?: string;
  handler?: RequestListener;
  logger: Logger;
  /** Upstream timeout in ms (sync webhooks wait up to 5 min for their run). @default 310000 */
  timeoutMs?: number;
  /** Told of each 503 OUT_ERR_BACKLOG_FULL of the listener, with its Retry-After (the gateway then refuses itself: `webhook-gate.ts`). */
  onBacklogFull?: (retryAfterSeconds: number) => void;
}

/** Reads a listener 503's small JSON body beside the pipe: a backlog refusal is reported with its Retry-After. */
function watchForBacklogFull(answer: http.IncomingMessage, report: (retryAfterSeconds: number) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  answer.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= 4096) chunks.push(chunk);
  });
  answer.on('end', () => {
    if (size > 4096) return;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: unknown } };
      if (body.error?.code === ErrorCode.BACKLOG_FULL) report(Number(answer.headers['retry-after']));
    } catch {
      // not JSON: not the listener's refusal
    }
  });
}

export function webhookProxy(options: WebhookProxyOptions): RequestHandler {
  const target = options.listenerUrl === undefined ? null : new URL(options.listenerUrl);
  const client = target?.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: 512 });
  return (req, res) => {
    const log = requestLog(res, options.logger);
    if (target === null) {
      if (options.handler) return options.handler(req, res);
      res.status(503).json(errorBody(ErrorCode.UNAVAILABLE, 'No webhook listener is configured on this gateway.'));
      return;
    }
    const headers = forwardable(req.headers);
    headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    headers['x-forwarded-proto'] ??= req.protocol;
    if (req.headers.host !== undefined) headers['x-forwarded-host'] ??= req.headers.host;
    const upstream = client.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: `${target.pathname.replace(/\/+$/, '')}${req.originalUrl}`,
      headers,
      agent,
      timeout: options.timeoutMs ?? 310_000,
    });
    upstream.on('response', (answer) => {
      if (answer.statusCode === 503 && options.onBacklogFull) watchForBacklogFull(answer, options.onBacklogFull);
      res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
      answer.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('listener timed out')));
    upstream.on('error', (err) => {
      log.warn({ err: err.message }, 'webhook proxy: listener unreachable');
      if (res.headersSent) res.destroy();
      else res.status(503).json(errorBody(ErrorCode.UNAVAILABLE, 'The webhook listener is unavailable; nothing was accepted.'));
    });
    // The client went away before the answer: stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}

const webhookOperation = (method: string): ExtraOperation => ({
  method,
  path: '/webhook/{workspaceId}/{triggerId}',
  operation: {
    operationId: `${method}Webhook`,
    summary: 'A webhook trigger (proxied to the listener unchanged). Async → 202 {runId, statusUrl}; sync → the workflow response',
    tags: ['webhooks'],
    security: [],
    parameters: [
      { name: 'workspaceId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'triggerId', in: 'path', required: true, schema: { type: 'string' } },
    ],
    responses: {
      200: { description: 'Sync mode: the workflow response' },
      202: { description: 'Accepted: {runId, statusUrl}' },
      401: { description: 'Webhook auth failed' },
      404: { description: 'No active trigger' },
      413: { description: 'Body over the trigger maxBodyBytes' },
      429: { description: 'Trigger rate limit' },
      503: { description: 'Listener, store or queue down; nothing accepted' },
    },
  },
});

/** The webhook path as OpenAPI operations (it is not in the route table: it is proxied raw). */
export const WEBHOOK_OPERATIONS: ExtraOperation[] = ['get', 'post', 'put', 'patch', 'delete'].map(webhookOperation);
