/**
 * Single sign-on with OpenID Connect through `openid-client` (v6): authorization code + PKCE (S256), `state` and
 * `nonce` checked, ID token signature and claims (issuer, audience, expiry, nonce) validated by the library.
 * The pending login (state, nonce, PKCE verifier) rides in a short-lived HttpOnly cookie scoped to the callback.
 */
import * as client from 'openid-client';
import { ErrorCode, UserError, type Role } from '@outrun/schemas';
import type { OidcConfig } from './oidc-config';

export const OIDC_COOKIE = 'outrun_oidc';
/** A login must come back within this long. */
export const OIDC_PENDING_MS = 10 * 60_000;

const RANK: Record<Role, number> = { owner: 4, admin: 3, editor: 2, operator: 1, viewer: 0 };

export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export interface OidcIdentity {
  subject: string;
  email: string;
  name?: string;
  /** The most powerful role any of the person's groups maps to, or null. */
  groupRole: Role | null;
}

/**
 * Why a sign-in failed, in words the sign-in page can show without echoing anything from the URL: `not_started`
 * (no pending login in this browser, or older than 10 minutes), `rejected` (the provider's answer did not verify:
 * state, code, ID token signature, issuer, audience, expiry, nonce), `denied` (the provider refused or the person
 * cancelled), `no_email` / `unverified_email` (claims), `unavailable` (the provider cannot be reached).
 */
export const OIDC_FAILURE_REASONS = ['not_started', 'rejected', 'denied', 'no_email', 'unverified_email', 'unavailable'] as const;
export type OidcFailureReason = (typeof OIDC_FAILURE_REASONS)[number];

export class OidcFailure extends UserError {
  constructor(
    message: string,
    readonly reason: OidcFailureReason,
  ) {
    super(ErrorCode.OIDC_FAILED, message, 401);
  }
}

export const oidcFailed = (message: string, reason: OidcFailureReason = 'rejected'): OidcFailure => new OidcFailure(message, reason);

export interface OidcClient {
  /** Where to send the browser, and what to remember until it returns. */
  start(redirectUri: string, returnTo: string): Promise<{ url: string; pending: PendingLogin }>;
  /** Exchanges the code of `callbackUrl` and validates the ID token. @throws UserError(OIDC_FAILED) */
  finish(callbackUrl: URL, pending: PendingLogin): Promise<OidcIdentity>;
}

/** A relative path on this site only (no `//host` or scheme): an open redirect gives a phisher nothing. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

/** openid-client wraps the precise check that failed (e.g. `unexpected JWT "aud" (audience) claim value`) as the cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error && error.cause.message !== error.message ? `${error.message}: ${error.cause.message}` : error.message;
}

export function createOidcClient(config: OidcConfig): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, config.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        discovered = undefined; // try again on the next sign-in
        throw error;
      });
    return discovered;
  };
  return {
    async start(redirectUri, returnTo) {
      const cfg = await configuration().catch((error: unknown) => {
        throw oidcFailed(`Single sign-on is unavailable: the provider cannot be reached (${error instanceof Error ? error.message : String(error)}).`, 'unavailable');
      });
      const pending: PendingLogin = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), returnTo: safeReturnTo(returnTo) };
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    async finish(callbackUrl, pending) {
      const cfg = await configuration().catch((error: unknown) => {
        throw oidcFailed(`Single sign-on failed: the provider cannot be reached (${error instanceof Error ? error.message : String(error)}).`, 'unavailable');
      });
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
        claims = tokens.claims();
      } catch (error) {
        // The provider answered `?error=…` (refused, or the person cancelled) vs. an answer that did not verify.
        const reason: OidcFailureReason = error instanceof client.AuthorizationResponseError ? 'denied' : 'rejected';
        throw oidcFailed(`Single sign-on failed: ${describe(error)}`, reason);
      }
      if (!claims) throw oidcFailed('Single sign-on failed: no ID token.');
      const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
      if (!email) throw oidcFailed('Single sign-on failed: the ID token has no email claim (ask for the "email" scope).', 'no_email');
      if (claims.email_verified === false) throw oidcFailed('Single sign-on failed: the provider says this email is not verified.', 'unverified_email');
      const groups = claims[config.groupsClaim];
      const mapped = (Array.isArray(groups) ? groups : []).flatMap((g) => (typeof g === 'string' && config.groupRoles[g] ? [config.groupRoles[g]] : []));
      const groupRole = mapped.sort((a, b) => RANK[b] - RANK[a])[0] ?? null;
      return { subject: claims.sub, email, ...(typeof claims.name === 'string' ? { name: claims.name } : {}), groupRole };
    },
  };
}
