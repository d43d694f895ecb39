/** Maps an HTTP response to the node's output or to the right error (retriable or not). */
import { ErrorCode, NonRetriableError, OperationalError, RetryAfterError, type JsonValue } from '@outrun/schemas';
import type { HttpResponseLike } from '@outrun/engine';
import type { HttpRequestParams } from './params';

/** Upper bound on a server-requested wait, so a hostile `Retry-After` cannot stall a run for days. */
export const MAX_RETRY_AFTER_MS = 3600_000;

/** `Retry-After` as seconds or an HTTP date → ms from `now`; `null` when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (Number.isNaN(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** Throws for status >= 400 when `failOnStatus`: 429 → RetryAfterError, 408/5xx → retriable, other 4xx → not. */
export function checkStatus(response: HttpResponseLike, params: HttpRequestParams, now: number): void {
  const status = response.status;
  if (!params.failOnStatus || status < 400) return;
  const message = `${params.method} ${params.url} answered HTTP ${status}`;
  const options = { details: [{ path: 'url', message: `HTTP ${status}` }] };
  if (status === 429) {
    const wait = parseRetryAfter(response.headers['retry-after'], now);
    if (wait !== null) throw new RetryAfterError(ErrorCode.HTTP_STATUS, `${message} (retry after ${wait} ms)`, wait, options);
    throw new OperationalError(ErrorCode.HTTP_STATUS, message, options);
  }
  if (status >= 500 || status === 408) throw new OperationalError(ErrorCode.HTTP_STATUS, message, options);
  throw new NonRetriableError(ErrorCode.HTTP_STATUS, message, options);
}

/** Parses the body per `responseType`; `auto` falls back to text when JSON is announced but malformed. */
export function parseBody(response: HttpResponseLike, responseType: HttpRequestParams['responseType']): JsonValue {
  const contentType = response.headers['content-type'] ?? '';
  const wantsJson = responseType === 'json' || (responseType === 'auto' && /[/+]json\b/i.test(contentType));
  if (!wantsJson) return response.body;
  if (response.body.trim() === '') return null;
  try {
    return JSON.parse(response.body) as JsonValue;
  } catch (error) {
    if (responseType === 'auto') return response.body;
    throw new NonRetriableError(ErrorCode.PARSE, `Response is not valid JSON: ${(error as Error).message}`, {
      details: [{ path: 'responseType', message: 'response body is not JSON' }],
    });
  }
}
