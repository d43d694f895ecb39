/**
 * @outrun/api — the HTTP gateway (port 3001): auth, validation, CRUD, versions, runs, stats, SSE,
 * templates, the OpenAPI document, and `/webhook/*` forwarded to the listener.
 */
export { createApiServer, buildRoutes, DEFAULT_RATE_LIMIT, type ApiServer } from './server';
export type { ApiDeps } from './deps';
export type { Route, RouteSpec, AuthMode } from './http/route';
export { buildOpenApi } from './http/openapi';
export { ApiEnv } from './env';
export { composeApi, type EmbeddedListener } from './compose';
export { createSmtpMailer, type Mailer } from './logic/accounts/mailer';
