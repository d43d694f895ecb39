/**
 * Translates what the `openai` client and the Agents SDK throw into Outrun errors, at the edge, so the
 * engine's retry policy decides: 429 waits for `Retry-After`; auth and quota never retry; 5xx and network
 * failures retry with backoff; max turns and invalid output are step errors with their own codes.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { MaxTurnsExceededError, ModelBehaviorError, ModelRefusalError, UserError as AgentsUserError } from '@openai/agents-core';
import { ErrorCode, NonRetriableError, OperationalError, OutrunError, RetryAfterError, UnexpectedError } from '@outrun/schemas';

/** `retry-after-ms`, then `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isQuotaError(err: APIError): boolean {
  return err.code === 'insufficient_quota' || err.type === 'insufficient_quota';
}

function translateApiError(err: APIError): OutrunError {
  const status = err.status;
  const detail = `${status ?? ''} ${err.message}`.trim();
  if (status === 429 && isQuotaError(err)) {
    return new NonRetriableError(ErrorCode.AI_QUOTA, `AI provider quota exhausted (insufficient_quota): ${err.message}`, { cause: err });
  }
  if (status === 429) {
    const wait = parseRetryAfterMs(err.headers);
    const message = `AI provider rate limit (429)${wait !== undefined ? `, retry after ${wait} ms` : ''}: ${err.message}`;
    return wait !== undefined
      ? new RetryAfterError(ErrorCode.AI_RATE_LIMITED, message, wait, { cause: err })
      : new OperationalError(ErrorCode.AI_RATE_LIMITED, message, { cause: err });
  }
  if (status === 401 || status === 403) {
    return new NonRetriableError(ErrorCode.AI_AUTH, `AI provider rejected the credentials (${status}): ${err.message}`, { cause: err });
  }
  if (status === undefined || status >= 500 || status === 408 || status === 409) {
    return new OperationalError(ErrorCode.AI_PROVIDER, `AI provider failed: ${detail}`, { cause: err });
  }
  // Other 4xx (unknown model, bad request): the same request would fail again.
  return new NonRetriableError(ErrorCode.AI_PROVIDER, `AI provider refused the request: ${detail}`, { cause: err });
}

/** Why the step's own abort fired, so the translator can tell a timeout from a cancel. */
export interface AbortCauses {
  /** The run/engine signal (cancel or engine-level node timeout). */
  outer: AbortSignal;
  /** Set when the node's own `timeoutMs` elapsed. */
  timedOut: () => boolean;
  timeoutMs: number;
}

/** Maps any error thrown by a run of the Agents SDK to an Outrun error. */
export function translateAiError(err: unknown, abort: AbortCauses): unknown {
  if (abort.outer.aborted) return abort.outer.reason ?? err;
  if (abort.timedOut()) return new OperationalError(ErrorCode.NODE_TIMEOUT, `AI agent timed out after ${abort.timeoutMs} ms`, { cause: err });
  if (err instanceof OutrunError) return err;
  if (err instanceof APIUserAbortError) return new OperationalError(ErrorCode.AI_PROVIDER, 'AI request aborted', { cause: err });
  if (err instanceof APIConnectionError) {
    // The guarded fetch refused a hop (OUT_ERR_SSRF_BLOCKED): that is the step's error, and it is not retried.
    if (err.cause instanceof OutrunError) return err.cause;
    return new OperationalError(ErrorCode.AI_PROVIDER, `Cannot reach the AI provider: ${err.message}`, { cause: err });
  }
  if (err instanceof APIError) return translateApiError(err);
  if (err instanceof MaxTurnsExceededError) {
    return new NonRetriableError(ErrorCode.AI_MAX_TURNS, `AI agent exceeded its maximum number of turns: ${err.message}`, { cause: err });
  }
  if (err instanceof ModelBehaviorError || err instanceof ModelRefusalError) {
    return new NonRetriableError(ErrorCode.AI_OUTPUT_INVALID, `AI output invalid: ${err.message}`, { cause: err });
  }
  if (err instanceof AgentsUserError) {
    return new NonRetriableError(ErrorCode.INVALID_NODE_PARAMS, `AI agent configuration rejected by the SDK: ${err.message}`, { cause: err });
  }
  // The SDK wraps what tools and model calls throw (ToolCallError.error, Error.cause).
  const inner = err instanceof Error ? ((err as { error?: unknown }).error ?? err.cause) : undefined;
  if (inner instanceof APIError || inner instanceof OutrunError) return translateAiError(inner, abort);
  return new UnexpectedError(ErrorCode.NODE_FAILED, `AI agent failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
