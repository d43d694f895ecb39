/**
 * JSON over the SSRF-guarded client, with the kit's retry classification: 429 with `Retry-After` waits that long,
 * 408/425/429/5xx are retriable, other 4xx fail the step at once. Bodies are capped by the client.
 */
import { ErrorCode, RetryAfterError, type JsonValue } from '@outrun/schemas';
import type { HttpClient } from '@outrun/engine';
import { ConnectorError, isRetriableStatus } from './retry';

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: JsonValue;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Added as `Idempotency-Key` when set. */
  idempotencyKey?: string;
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  body: JsonValue;
}

/** `Retry-After` seconds or HTTP date → ms (capped at 10 minutes). */
function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 600_000) : undefined;
}

export async function requestJson(http: HttpClient, request: JsonRequest): Promise<JsonResponse> {
  const response = await http.request({
    method: request.method,
    url: request.url,
    headers: {
      accept: 'application/json',
      ...(request.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
      ...request.headers,
    },
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    timeoutMs: request.timeoutMs ?? 30_000,
  });
  let body: JsonValue = response.body;
  try {
    body = response.body === '' ? null : (JSON.parse(response.body) as JsonValue);
  } catch { /* not JSON: kept as text */ }
  if (response.status >= 400) {
    const detail = typeof body === 'object' && body !== null && !Array.isArray(body) && typeof body.message === 'string' ? body.message : String(response.body).slice(0, 300);
    const message = `${request.method} ${new URL(request.url).pathname} answered ${response.status}: ${detail}`;
    // 429/503 with Retry-After; 403 too when it carries one (GitHub's secondary limit) or a spent primary limit.
    const spent = response.headers['x-ratelimit-remaining'] === '0' && response.headers['x-ratelimit-reset'] ? Number(response.headers['x-ratelimit-reset']) * 1000 - Date.now() : undefined;
    const wait = [429, 503, 403].includes(response.status)
      ? retryAfterMs(response.headers['retry-after']) ?? (spent !== undefined && Number.isFinite(spent) ? Math.min(Math.max(spent, 0), 600_000) : undefined)
      : undefined;
    if (wait !== undefined) throw new RetryAfterError(ErrorCode.CONNECTOR_UNAVAILABLE, message, wait);
    throw new ConnectorError(message, isRetriableStatus(response.status));
  }
  return { status: response.status, headers: response.headers, body };
}
