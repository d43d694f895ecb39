/**
 * Turns the route table into Express handlers. Order per request: authenticate (so a foreign workspace
 * sees 404 before anything else is looked at), rate limit, parse the JSON body, validate params/query/body
 * with zod, then call the handler.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { LimitsResolver, Logger, RateLimitOptions, TokenBuckets } from '@outrun/config';
import { ErrorCode, UserError, type ApiKeyInfo } from '@outrun/schemas';
import type { WorkspaceStore } from '@outrun/store';
import type { z } from 'zod';
import { notFound, validationError, zodDetails } from './errors';
import { requestLog } from './request-id';
import type { Route } from './route';
import { traceRequest } from './trace-request';

/** Largest accepted request body (API.md: 413 above). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Deeper JSON is rejected as invalid (guards recursive code downstream). */
export const MAX_JSON_DEPTH = 64;

export interface MountOptions {
  workspaces: WorkspaceStore;
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

function bearer(req: Request): string | null {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function unauthenticated(message: string): UserError {
  return new UserError(ErrorCode.UNAUTHENTICATED, message, 401);
}

/** Constant-time comparison of two secrets of any length (hash first so lengths do not leak). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function authenticate(route: Route, options: MountOptions): RequestHandler {
  return async (req, res, next) => {
    if (route.auth === 'public') return next();
    const token = bearer(req);
    if (token === null) throw unauthenticated('Send Authorization: Bearer <apiKey>.');
    if (route.auth === 'admin') {
      if (options.adminToken === undefined || !secretsEqual(token, options.adminToken)) throw unauthenticated('The admin token is missing or wrong.');
      limit(res, 'admin', options.buckets);
      return next();
    }
    const key = await options.workspaces.verifyApiKey(token);
    if (key === null) throw unauthenticated('The API key is missing, wrong or revoked.');
    // A key of another workspace learns nothing: the whole route answers as if the workspace were absent.
    if (key.workspaceId !== req.params.ws) throw notFound('Workspace');
    res.locals.apiKey = key;
    limit(res, key.id, options.buckets);
    // The workspace's own bucket, whichever key is used: minting keys does not multiply the budget.
    limit(res, `ws:${key.workspaceId}`, options.buckets, options.limits.forWorkspace(key.workspaceId).rateLimit, 'workspace');
    next();
  };
}

function limit(res: Response, key: string, buckets: TokenBuckets | null, rate?: RateLimitOptions, scope: 'API key' | 'workspace' = 'API key'): void {
  if (buckets === null) return;
  const result = buckets.take(key, rate);
  const previous = Number(res.getHeader('X-RateLimit-Remaining') ?? Infinity);
  res.setHeader('X-RateLimit-Remaining', String(Math.min(previous, result.remaining)));
  if (!result.allowed) {
    res.setHeader('Retry-After', String(result.retryAfterSeconds));
    throw new UserError(ErrorCode.RATE_LIMITED, `Too many requests for this ${scope}; retry in ${result.retryAfterSeconds} s.`, 429, {
      details: [{ path: scope === 'workspace' ? 'rateLimit.workspace' : 'rateLimit.apiKey', message: `retry in ${result.retryAfterSeconds} s` }],
    });
  }
}

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
    const reply = await route.handle({ req, res, params, query, body, apiKey, log: requestLog(res, logger) });
    if (!reply) return;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.body === undefined) res.status(reply.status).end();
    else res.status(reply.status).json(reply.body);
  };
}
