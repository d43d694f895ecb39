/**
 * Who is calling, and may they? Bearer API keys (scripts; no CSRF defence needed) or the session cookie (browsers;
 * state-changing requests must echo the CSRF cookie in `X-CSRF-Token`). Then the route's declared permission is
 * checked against the caller's role in `:ws`. A key of another workspace, or a person who is not a member, gets 404
 * for the whole route (nothing learned); a member whose role lacks the permission gets 403.
 */
import { createHmac } from 'node:crypto';
import type { RequestHandler, Request, Response } from 'express';
import type { LimitsResolver } from '@outrun/config';
import { ErrorCode, UserError, type Role } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { notFound } from './errors';
import { CSRF_COOKIE, CSRF_HEADER, readCookies, SESSION_COOKIE } from './cookies';
import { isWorkspacePermission, roleAllows } from './permissions';
import type { Principal, Route } from './route';
import { secretsEqual } from './secrets';
import type { RateLimitOptions, TokenBuckets } from '@outrun/config';

export interface AuthenticateOptions {
  store: Pick<Store, 'workspaces' | 'accounts'>;
  adminToken: string | undefined;
  buckets: TokenBuckets | null;
  limits: LimitsResolver;
  sessionIdleMs: number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearer(req: Request): string | null {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

const unauthenticated = (message: string): UserError => new UserError(ErrorCode.UNAUTHENTICATED, message, 401);

export function forbidden(permission: string): UserError {
  return new UserError(ErrorCode.FORBIDDEN, `Your role does not allow this (${permission}).`, 403, { details: [{ path: 'permission', message: permission }] });
}

/** The CSRF token of a session: derived from the session token, so it needs no storage and dies with the session. */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('outrun-csrf').digest('base64url');
}

export function authenticate(route: Route, options: AuthenticateOptions): RequestHandler {
  return async (req, res, next) => {
    if (route.auth === 'public') return next();
    const token = bearer(req);
    const principal = token !== null ? await byKey(route, req, res, token, options) : await bySession(route, req, options);
    res.locals.principal = principal;
    if (principal?.type === 'api_key') res.locals.apiKey = principal.key;
    const bucket = principal === null ? 'admin' : principal.type === 'api_key' ? principal.key.id : `user:${principal.user.id}`;
    limit(res, bucket, options.buckets);
    const ws = req.params.ws;
    // The workspace's own bucket, whoever calls: minting keys or inviting people does not multiply the budget.
    if (route.auth === 'workspace' && typeof ws === 'string') limit(res, `ws:${ws}`, options.buckets, options.limits.forWorkspace(ws).rateLimit, 'workspace');
    next();
  };
}

async function byKey(route: Route, req: Request, _res: Response, token: string, options: AuthenticateOptions): Promise<Principal | null> {
  if (route.auth === 'admin') {
    if (options.adminToken === undefined || !secretsEqual(token, options.adminToken)) throw unauthenticated('The admin token is missing or wrong.');
    return null;
  }
  const key = await options.store.workspaces.verifyApiKey(token);
  if (key === null) throw unauthenticated('The API key is missing, wrong, expired or revoked.');
  if (route.auth === 'account') throw unauthenticated('Sign in: this route is for people, not API keys.');
  // A key of another workspace learns nothing: the whole route answers as if the workspace were absent.
  if (key.workspaceId !== req.params.ws) throw notFound('Workspace');
  checkPermission(route, key.role);
  return { type: 'api_key', key, role: key.role };
}

async function bySession(route: Route, req: Request, options: AuthenticateOptions): Promise<Principal> {
  const sessionToken = readCookies(req)[SESSION_COOKIE];
  if (sessionToken === undefined || sessionToken === '') throw unauthenticated('Sign in, or send Authorization: Bearer <apiKey>.');
  const session = await options.store.accounts.touchSession(sessionToken, options.sessionIdleMs);
  const user = session === null ? null : await options.store.accounts.getUser(session.userId);
  if (user === null) throw unauthenticated('The session has expired or was signed out; sign in again.');
  if (!SAFE_METHODS.has(req.method)) {
    const header = req.get(CSRF_HEADER) ?? '';
    const expected = csrfTokenOf(sessionToken);
    // Double submit: the header must carry the session's token (a cross-site form cannot set headers or read cookies).
    if (!secretsEqual(header, expected) || !secretsEqual(readCookies(req)[CSRF_COOKIE] ?? '', expected)) {
      throw new UserError(ErrorCode.CSRF, 'Missing or wrong X-CSRF-Token header (send the outrun_csrf cookie value).', 403);
    }
  }
  if (route.auth === 'admin') {
    if (!user.instanceOwner) throw forbidden('instance:admin');
    return { type: 'user', user, role: null, sessionToken };
  }
  if (route.auth === 'account') return { type: 'user', user, role: null, sessionToken };
  const ws = req.params.ws;
  const membership = typeof ws === 'string' ? await options.store.accounts.getMembership(ws, user.id) : null;
  if (membership === null) throw notFound('Workspace');
  checkPermission(route, membership.role);
  return { type: 'user', user, role: membership.role, sessionToken };
}

function checkPermission(route: Route, role: Role): void {
  if (!isWorkspacePermission(route.permission)) throw forbidden(route.permission);
  if (!roleAllows(role, route.permission)) throw forbidden(route.permission);
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
