/**
 * `GET /api/auth/oidc/start` → the provider → `GET /api/auth/oidc/callback` → signed in. First-time people join
 * the configured workspace with the role their groups map to (else the default role); on later sign-ins a group
 * mapping updates the role (the provider is authoritative), except that an owner stays owner.
 */
import { z } from 'zod';
import type { ResolvedDeps } from '../deps';
import { readCookies } from '../http/cookies';
import { defineRoute, type Route } from '../http/route';
import { audit } from '../logic/accounts/audit';
import { createOidcClient, OIDC_COOKIE, OIDC_PENDING_MS, oidcFailed, type OidcClient, type PendingLogin } from '../logic/accounts/oidc';
import { startSession } from '../logic/accounts/sessions';

const CALLBACK_PATH = '/api/auth/oidc/callback';
const PendingCookie = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), returnTo: z.string() });

export function oidcRoutes(deps: ResolvedDeps): Route[] {
  const options = deps.accountOptions;
  const config = options.oidc;
  if (!config) return [];
  const oidc: OidcClient = createOidcClient(config);
  const { accounts } = deps.store;
  const redirectUri = `${options.appBaseUrl}${CALLBACK_PATH}`;
  const pendingCookie = (value: string, maxAgeSeconds: number) =>
    [`${OIDC_COOKIE}=${encodeURIComponent(value)}`, `Path=${CALLBACK_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(options.secureCookies ? ['Secure'] : [])].join('; ');
  return [
    defineRoute({
      method: 'get', path: '/api/auth/oidc/start', summary: 'Single sign-on: redirects to the OpenID Connect provider', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      query: z.object({ returnTo: z.string().max(2000).optional() }),
      responses: { 302: { description: 'To the provider' } },
      async handle({ query, res }) {
        const { url, pending } = await oidc.start(redirectUri, query.returnTo ?? '/');
        res.append('Set-Cookie', pendingCookie(JSON.stringify(pending), Math.floor(OIDC_PENDING_MS / 1000)));
        return { status: 302, headers: { Location: url, 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'get', path: CALLBACK_PATH, summary: 'Single sign-on: the provider returns here; signs in and redirects into the app', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      responses: { 302: { description: 'Signed in, to the app' }, 401: { description: '`OUT_ERR_OIDC_FAILED`' } },
      async handle({ req, res, log }) {
        res.append('Set-Cookie', pendingCookie('', 0)); // one attempt per pending login
        let pending: PendingLogin;
        try {
          pending = PendingCookie.parse(JSON.parse(readCookies(req)[OIDC_COOKIE] ?? ''));
        } catch {
          throw oidcFailed('Single sign-on failed: no sign-in was started from this browser (or it took longer than 10 minutes).');
        }
        const callbackUrl = new URL(`${redirectUri}${req.originalUrl.slice(req.originalUrl.indexOf('?') >= 0 ? req.originalUrl.indexOf('?') : req.originalUrl.length)}`);
        const identity = await oidc.finish(callbackUrl, pending);
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
