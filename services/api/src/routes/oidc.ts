/**
 * `GET /api/auth/oidc/start` → the provider → `GET /api/auth/oidc/callback` → signed in. First-time people join
 * the configured workspace with the role their groups map to (else the default role); on later sign-ins a group
 * mapping updates the role (the provider is authoritative), except that an owner stays owner.
 * Browsers reach both through the web app's same-origin proxy, so the redirect URI the provider knows is
 * `$OUTRUN_APP_URL/gateway/api/auth/oidc/callback`. A browser whose sign-in fails lands on the sign-in page with a
 * reason code (never a stack trace, never text taken from the URL); other callers get `401 OUT_ERR_OIDC_FAILED`.
 */
import type { Logger } from '@outrun/config';
import type { Request } from 'express';
import { z } from 'zod';
import type { ResolvedDeps } from '../deps';
import { readCookies } from '../http/cookies';
import { defineRoute, type Route, type RouteReply } from '../http/route';
import { audit } from '../logic/accounts/audit';
import { createOidcClient, OIDC_COOKIE, OIDC_PENDING_MS, OidcFailure, oidcFailed, type OidcClient, type OidcIdentity, type PendingLogin } from '../logic/accounts/oidc';
import { startSession } from '../logic/accounts/sessions';

const CALLBACK_PATH = '/api/auth/oidc/callback';
/** Where the web app's proxy serves the gateway's API (the browser's view of CALLBACK_PATH). */
const PROXY_PREFIX = '/gateway';
const PendingCookie = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), returnTo: z.string() });

export function oidcRoutes(deps: ResolvedDeps): Route[] {
  const options = deps.accountOptions;
  const config = options.oidc;
  if (!config) return [];
  const oidc: OidcClient = createOidcClient(config);
  const { accounts } = deps.store;
  const redirectUri = `${options.appBaseUrl}${PROXY_PREFIX}${CALLBACK_PATH}`;
  // Scoped to the callback as the browser sees it (the proxy forwards the cookie header to the gateway).
  const cookiePath = new URL(redirectUri).pathname;
  const pendingCookie = (value: string, maxAgeSeconds: number) =>
    [`${OIDC_COOKIE}=${encodeURIComponent(value)}`, `Path=${cookiePath}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(options.secureCookies ? ['Secure'] : [])].join('; ');

  /** A browser goes back to the sign-in page with the reason; an API caller gets the error (401). */
  const failed = (req: Request, log: Logger, error: unknown): RouteReply => {
    if (!(error instanceof OidcFailure)) throw error;
    log.warn({ reason: error.reason, err: error.message }, 'single sign-on failed');
    if (req.accepts(['json', 'html']) !== 'html') throw error;
    return { status: 302, headers: { Location: `${options.appBaseUrl}/login?sso_error=${error.reason}`, 'Cache-Control': 'no-store' } };
  };

  return [
    defineRoute({
      method: 'get', path: '/api/auth/oidc/start', summary: 'Single sign-on: redirects to the OpenID Connect provider', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      query: z.object({ returnTo: z.string().max(2000).optional() }),
      responses: { 302: { description: 'To the provider (a browser, when the provider cannot be reached: to `/login?sso_error=unavailable`)' }, 401: { description: '`OUT_ERR_OIDC_FAILED` (callers that do not ask for HTML)' } },
      async handle({ req, query, res, log }) {
        let started: Awaited<ReturnType<OidcClient['start']>>;
        try {
          started = await oidc.start(redirectUri, query.returnTo ?? '/');
        } catch (error) {
          return failed(req, log, error);
        }
        res.append('Set-Cookie', pendingCookie(JSON.stringify(started.pending), Math.floor(OIDC_PENDING_MS / 1000)));
        return { status: 302, headers: { Location: started.url, 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'get', path: CALLBACK_PATH, summary: 'Single sign-on: the provider returns here; signs in and redirects into the app', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      responses: { 302: { description: 'Signed in, to the app (a browser whose sign-in failed: to `/login?sso_error=<reason>`)' }, 401: { description: '`OUT_ERR_OIDC_FAILED` (callers that do not ask for HTML)' } },
      async handle({ req, res, log }) {
        res.append('Set-Cookie', pendingCookie('', 0)); // one attempt per pending login
        let pending: PendingLogin;
        let identity: OidcIdentity;
        try {
          try {
            pending = PendingCookie.parse(JSON.parse(readCookies(req)[OIDC_COOKIE] ?? ''));
          } catch {
            throw oidcFailed('Single sign-on failed: no sign-in was started from this browser (or it took longer than 10 minutes).', 'not_started');
          }
          const query = req.originalUrl.indexOf('?');
          identity = await oidc.finish(new URL(`${redirectUri}${query >= 0 ? req.originalUrl.slice(query) : ''}`), pending);
        } catch (error) {
          return failed(req, log, error);
        }
        const found = await accounts.findUserByEmail(identity.email);
        const user = found?.user ?? (await accounts.createUser({ email: identity.email, passwordHash: null, ...(identity.name ? { name: identity.name } : {}) }));
        if (config.workspaceId) {
          const current = await accounts.getMembership(config.workspaceId, user.id);
          const role = current?.role === 'owner' ? 'owner' : (identity.groupRole ?? current?.role ?? config.defaultRole);
          if (!current || current.role !== role) {
            await accounts.setMembership(config.workspaceId, user.id, role);
            await audit(deps, { req, principal: null, actor: { type: 'user', id: user.id, label: user.email } }, config.workspaceId, current ? 'member.role_changed' : 'member.joined', {
              target: { type: 'user', id: user.id },
              details: { role, via: 'oidc', ...(current ? { from: current.role, to: role } : {}) },
            });
          }
        }
        const view = await startSession(deps.store, options, res, user);
        if (view.workspaces.length === 0) log.info({ userId: user.id }, 'SSO sign-in without any workspace');
        for (const { workspace } of view.workspaces) await audit(deps, { req, principal: null, actor: { type: 'user', id: user.id, label: user.email } }, workspace.id, 'auth.signed_in', { details: { via: 'oidc' } });
        return { status: 302, headers: { Location: `${options.appBaseUrl}${pending.returnTo}`, 'Cache-Control': 'no-store' } };
      },
    }),
  ];
}
