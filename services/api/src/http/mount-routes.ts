/**
 * Turns the route table into Express handlers. Order per request: authenticate (so a foreign workspace
 * sees 404 before anything else is looked at), rate limit, parse the JSON body, validate params/query/body
 * with zod, then call the handler.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { LimitsResolver, Logger, TokenBuckets } from '@outrun/config';
import { ErrorCode, UserError, type ApiKeyInfo } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { authenticate } from './authenticate';
import type { z } from 'zod';
import { validationError, zodDetails } from './errors';
import { requestLog } from './request-id';
import type { Principal, Route } from './route';
import { traceRequest } from './trace-request';

/** Largest accepted request body (API.md: 413 above). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Deeper JSON is rejected as invalid (guards recursive code downstream). */
export const MAX_JSON_DEPTH = 64;

export interface MountOptions {
  store: Pick<Store, 'workspaces' | 'accounts'>;
  /** Sessions idle longer than this are signed out. */
  sessionIdleMs: number;
  adminToken: string | undefined;
  buckets: TokenBuckets | null;
  limits: LimitsResolver;
  logger: Logger;
}

const jsonParser = express.json({ limit: MAX_BODY_BYTES, strict: true, type: ['application/json', 'application/*+json'] });

/** Mounts every route of the table on `router`. */
export function mountRoutes(router: Router, routes: readonly Route[], options: MountOptions): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [traceRequest(route), authenticate(route, options)];
    if (route.body) chain.push(parseJsonBody);
    chain.push(handle(route, options.logger));
    router[route.method](route.path, ...chain);
  }
}

export { secretsEqual } from './secrets';

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

function parseJsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req)) {
    req.body = undefined;
    next();
    return;
  }
  if (!req.is(['application/json', 'application/*+json'])) {
    next(new UserError(ErrorCode.INVALID_JSON, 'Send the body as JSON with Content-Type: application/json.', 400));
    return;
  }
  jsonParser(req, res, (err?: unknown) => {
    if (err !== undefined && err !== null) return next(err);
    if (depth(req.body as unknown) > MAX_JSON_DEPTH) {
      return next(new UserError(ErrorCode.INVALID_JSON, `The body is nested deeper than ${MAX_JSON_DEPTH} levels.`, 400));
    }
    next();
  });
}

/** Nesting depth of a parsed JSON value, iterative so a hostile body cannot overflow the stack. */
export function depth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(zodDetails(result.error, part), `Invalid ${part}.`);
}

function handle(route: Route, logger: Logger): RequestHandler {
  return async (req, res) => {
    // An absent body validates as {} so routes with only optional fields accept an empty POST.
    const rawBody: unknown = req.body === undefined && route.body ? {} : req.body;
    const params = parsePart(route.params, { ...req.params }, 'params');
    const query = parsePart(route.query, { ...(req.query as Record<string, unknown>) }, 'query');
    const body = parsePart(route.body, rawBody, 'body');
    const apiKey = (res.locals.apiKey as ApiKeyInfo | undefined) ?? null;
    const principal = (res.locals.principal as Principal | null | undefined) ?? null;
    const reply = await route.handle({ req, res, params, query, body, apiKey, principal, log: requestLog(res, logger) });
    if (!reply) return;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.body === undefined) res.status(reply.status).end();
    else res.status(reply.status).json(reply.body);
  };
}
