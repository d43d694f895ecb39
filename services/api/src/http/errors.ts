/**
 * Error → HTTP mapping. Every error answer has the shape of `ErrorBody`; stacks and causes are logged
 * (without secrets) but never sent.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@outrun/config';
import { ErrorCode, UserError, errorBody, httpErrorOf, type ErrorDetail } from '@outrun/schemas';
import type { z } from 'zod';
import { requestLog } from './request-id';

/** `["nodes", 3, "data", "url"]` → `nodes.3.data.url`, prefixed with the request part. */
export function zodDetails(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const parts = [prefix, ...issue.path.map(String), key].filter((p): p is string => p !== undefined && p !== '');
      const message = key === undefined ? issue.message : `unknown field "${key}"`;
      return { path: parts.join('.'), message };
    });
  }).flat();
}

export function validationError(details: ErrorDetail[], message = 'The request is invalid.'): UserError {
  return new UserError(ErrorCode.VALIDATION, message, 400, { details });
}

export function notFound(what = 'Resource'): UserError {
  return new UserError(ErrorCode.NOT_FOUND, `${what} not found.`, 404);
}

export function conflict(message: string): UserError {
  return new UserError(ErrorCode.CONFLICT, message, 409);
}

export { errorBody };

/** Maps body-parser's own errors (invalid JSON, too large) to ours. */
function fromBodyParser(err: unknown): UserError | null {
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  const type = (err as { type: unknown }).type;
  if (type === 'entity.too.large') return new UserError(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body exceeds 2 MiB.', 413);
  if (type === 'entity.parse.failed') return new UserError(ErrorCode.INVALID_JSON, 'The request body is not valid JSON.', 400);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new UserError(ErrorCode.VALIDATION, 'Unsupported body encoding.', 415);
  }
  return null;
}

/** Express error middleware: UserError → its status; OperationalError → 503; anything else → 500 without stack. */
export function errorHandler(fallbackLog: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const log = requestLog(res, fallbackLog);
    const mapped = fromBodyParser(err) ?? err;
    if (res.headersSent) {
      log.warn({ err: describe(mapped) }, 'error after headers were sent');
      res.end();
      return;
    }
    const answer = httpErrorOf(mapped);
    if (answer.kind === 'unavailable') log.warn({ err: describe(mapped) }, 'dependency unavailable');
    if (answer.kind === 'unexpected') log.error({ err: describe(mapped) }, 'unexpected error');
    res.status(answer.status).json(answer.body);
  };
}

/** What is logged about an error: name, code, message and stack — never request data. */
function describe(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, code: (err as { code?: unknown }).code, stack: err.stack };
  }
  return { value: String(err) };
}

/** The JSON 404 of unknown routes. */
export const unknownRoute: RequestHandler = (req, res) => {
  res.status(404).json(errorBody(ErrorCode.NOT_FOUND, `No route ${req.method} ${req.path}.`));
};
