/** Param and query schemas shared by several routers. */
import { Id, ListQuery, ErrorBody } from '@outrun/schemas';
import { z } from 'zod';
import type { ResponseSpec } from '../http/route';

export const WsParams = z.object({ ws: Id });
export const WorkflowParams = z.object({ ws: Id, id: Id });
export const RunParams = z.object({ ws: Id, runId: Id });

export { ListQuery };

/** Standard error responses of workspace routes, for the OpenAPI document. */
export const workspaceErrors: Record<number, ResponseSpec> = {
  400: { description: 'Invalid input (`OUT_ERR_VALIDATION`, `OUT_ERR_INVALID_JSON`)', schema: ErrorBody },
  401: { description: 'Missing or invalid API key', schema: ErrorBody },
  404: { description: 'Not found, or not in this workspace', schema: ErrorBody },
  429: { description: 'Rate limited; see `Retry-After`', schema: ErrorBody },
};

export const withErrors = (ok: Record<number, ResponseSpec>, extra: Record<number, ResponseSpec> = {}): Record<number, ResponseSpec> => ({
  ...ok,
  ...workspaceErrors,
  ...extra,
});

/** `?filter=` and other JSON-in-query values. */
export const JsonQueryObject = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the issue below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
  return z.NEVER;
});

export const Empty = z.strictObject({});
export const ErrorResponse = ErrorBody;

/** Drops undefined fields (exactOptionalPropertyTypes). */
export function compactOptions<T extends Record<string, unknown>>(options: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
