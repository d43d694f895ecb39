/**
 * Error → HTTP mapping. Every error answer has the shape of `ErrorBody`; stacks and causes are logged
 * (without secrets) but never sent.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@outrun/config';
import { ErrorCode, OperationalError, OutrunError, UserError, type ErrorBody, type ErrorDetail } from '@outrun/schemas';
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

export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: details && details.length > 0 ? { code, message, details } : { code, message } };
}

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
    if (mapped instanceof UserError) {
      res.status(mapped.status).json(errorBody(mapped.code, mapped.message, mapped.details));
      return;
    }
    if (mapped instanceof OperationalError) {
      log.warn({ err: describe(mapped) }, 'dependency unavailable');
      res.status(503).json(errorBody(mapped.code, publicMessage(mapped)));
      return;
    }
    if (mapped instanceof OutrunError && mapped.kind === 'user') {
      res.status(400).json(errorBody(mapped.code, mapped.message, mapped.details));
      return;
    }
    log.error({ err: describe(mapped) }, 'unexpected error');
    res.status(500).json(errorBody(ErrorCode.INTERNAL, 'An unexpected error occurred; report the request id.'));
  };
}

/**
 * The message a client sees for a dependency failure. A store's own message names the database file and the SQLite
 * error (`/srv/outrun/outrun.db … SQLITE_FULL`): an operator detail, kept in the log (found by the disk-full test).
 */
function publicMessage(err: OperationalError): string {
  if (err.code === ErrorCode.STORE_UNAVAILABLE) return 'The database is unavailable; nothing was changed. Retry later.';
  if (err.code === ErrorCode.STORE_CORRUPT) return 'The database cannot be read; the operator must restore it.';
  return err.message;
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
