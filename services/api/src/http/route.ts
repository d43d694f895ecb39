/**
 * One declarative route shape for the whole gateway. The same list mounts the Express handlers and
 * generates `/api/openapi.json`, so the document cannot drift from the code.
 */
import type { Request, Response } from 'express';
import type { Logger } from '@outrun/config';
import type { ApiKeyInfo, Role, User } from '@outrun/schemas';
import type { z } from 'zod';
import type { Permission } from './permissions';

export const HttpVerb = { get: 'get', post: 'post', put: 'put', patch: 'patch', delete: 'delete' } as const;
export type HttpVerb = (typeof HttpVerb)[keyof typeof HttpVerb];

/**
 * `workspace`: an API key of the `:ws` workspace (a key of another workspace → 404), or a session of a member;
 * `admin`: the admin token (or the instance owner's session); `account`: any session; `public`: no credentials.
 */
export type AuthMode = 'workspace' | 'admin' | 'account' | 'public';

/** Who is calling: a signed-in person (session cookie) or an API key; `role` is theirs in `:ws`. */
export type Principal =
  | { type: 'user'; user: User; role: Role | null; sessionToken: string }
  | { type: 'api_key'; key: ApiKeyInfo; role: Role };

export interface ResponseSpec {
  description: string;
  /** JSON body schema (omitted for 204 and streams). */
  schema?: z.ZodType;
  /** `text/event-stream` or `text/plain` instead of JSON. */
  contentType?: string;
}

/** What a handler sees: the validated parts of the request. */
export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** The authenticated key (workspace routes only). */
  apiKey: ApiKeyInfo | null;
  /** The authenticated caller (key or session), null on public routes. */
  principal: Principal | null;
  log: Logger;
}

/** A JSON answer; `body: undefined` with 204. */
export interface RouteReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: HttpVerb;
  /** Express path, e.g. `/api/workspaces/:ws/workflows/:id`. */
  path: string;
  summary: string;
  /** OpenAPI tag (resource name). */
  tag: string;
  auth: AuthMode;
  /** What the caller's role must allow (required on every route). */
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
  /** Marks routes that are not in /work/shared/API.md (documented as extensions). */
  extension?: boolean;
  handle(ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<RouteReply | void>;
}

/** A route with its types erased, as the table stores it. */
export interface Route {
  method: HttpVerb;
  path: string;
  summary: string;
  tag: string;
  auth: AuthMode;
  permission: Permission;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  extension?: boolean;
  handle(ctx: RouteContext<unknown, unknown, unknown>): Promise<RouteReply | void>;
}

/** Declares a route with handler types inferred from its schemas. */
export function defineRoute<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  spec: RouteSpec<P, Q, B>,
): Route {
  return spec as unknown as Route;
}

/** `/api/workspaces/:ws/x` → `/api/workspaces/{ws}/x` (OpenAPI path template). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
