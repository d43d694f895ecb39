/**
 * Request ids: taken from a well-formed incoming `x-request-id` or generated, echoed on the response,
 * and bound into a pino child logger so every log line of the request carries it.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '@outrun/config';
import type { Clock } from '@outrun/schemas';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(logger: Logger, clock: Pick<Clock, 'now'>): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming !== undefined && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ reqId: id });
    res.locals.requestId = id;
    res.locals.log = log;
    res.setHeader('x-request-id', id);
    const started = clock.now();
    res.on('finish', () => {
      // Path only: query strings may carry filters with user data; headers are never logged.
      log.info({ method: req.method, path: req.path, status: res.statusCode, ms: clock.now() - started }, 'request');
    });
    next();
  };
}

/** The request's child logger (falls back to the service logger outside a request). */
export function requestLog(res: Response, fallback: Logger): Logger {
  return (res.locals.log as Logger | undefined) ?? fallback;
}
