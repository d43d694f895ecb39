import type { ErrorDetail } from '@outrun/schemas';

/** Any non-2xx answer of the gateway, with the stable error code and the failing paths. */
export class OutrunApiError extends Error {
  override readonly name = 'OutrunApiError';
  constructor(
    /** HTTP status (0 when the request never got an answer). */
    readonly status: number,
    /** `OUT_ERR_…` code from the body (or `OUT_ERR_HTTP_<status>` for non-JSON answers). */
    readonly code: string,
    message: string,
    /** Failing fields/rules, e.g. `{path: "body.nodes.3.data.url", message: "…"}`. */
    readonly details: ErrorDetail[] = [],
    /** `x-request-id` of the answer, for support and logs. */
    readonly requestId: string | null = null,
    /** `Retry-After` seconds of a 429/503. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Builds the error of a failed response (reads the body once). */
export async function errorFromResponse(res: Response): Promise<OutrunApiError> {
  const requestId = res.headers.get('x-request-id');
  const retry = res.headers.get('retry-after');
  const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : null;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const details = Array.isArray(error.details) ? (error.details as ErrorDetail[]) : [];
    return new OutrunApiError(res.status, error.code, typeof error.message === 'string' ? error.message : res.statusText, details, requestId, retryAfter);
  }
  return new OutrunApiError(res.status, `OUT_ERR_HTTP_${res.status}`, `HTTP ${res.status} ${res.statusText}`, [], requestId, retryAfter);
}
