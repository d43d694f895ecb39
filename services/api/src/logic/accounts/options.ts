/** How people sign in to this gateway (sessions, sign-up, links in emails). */
import type { Clock } from '@outrun/schemas';
import type { Mailer } from './mailer';
import { SignInThrottle } from './sign-in-throttle';
import type { OidcConfig } from './oidc-config';

export interface AccountOptions {
  /** @default 12 h */
  sessionIdleMs?: number;
  /** @default 7 days */
  sessionAbsoluteMs?: number;
  /** Anyone may sign up (else only the first user, then invitations). @default false */
  signUpOpen?: boolean;
  /** Cookies get `Secure`. @default true when `appBaseUrl` is https */
  secureCookies?: boolean;
  /** Sends invitation and reset emails; absent: the invitation link is returned to the inviting admin instead. */
  mailer?: Mailer;
  /** Base URL of the web app, for links in emails. @default the gateway's `webOrigin` */
  appBaseUrl?: string;
  /** @default 7 days */
  invitationTtlMs?: number;
  /** @default 1 h */
  resetTtlMs?: number;
  /** Single sign-on (OpenID Connect). */
  oidc?: OidcConfig;
}

export interface ResolvedAccountOptions extends Required<Omit<AccountOptions, 'mailer' | 'oidc'>> {
  mailer?: Mailer;
  oidc?: OidcConfig;
  accountThrottle: SignInThrottle;
  ipThrottle: SignInThrottle;
}

const HOUR = 3_600_000;

export function resolveAccountOptions(options: AccountOptions | undefined, webOrigin: string | undefined, clock: Pick<Clock, 'now'>): ResolvedAccountOptions {
  const appBaseUrl = (options?.appBaseUrl ?? webOrigin ?? 'http://localhost:3000').replace(/\/+$/, '');
  return {
    sessionIdleMs: options?.sessionIdleMs ?? 12 * HOUR,
    sessionAbsoluteMs: options?.sessionAbsoluteMs ?? 7 * 24 * HOUR,
    signUpOpen: options?.signUpOpen ?? false,
    secureCookies: options?.secureCookies ?? appBaseUrl.startsWith('https:'),
    appBaseUrl,
    invitationTtlMs: options?.invitationTtlMs ?? 7 * 24 * HOUR,
    resetTtlMs: options?.resetTtlMs ?? HOUR,
    ...(options?.mailer ? { mailer: options.mailer } : {}),
    ...(options?.oidc ? { oidc: options.oidc } : {}),
    accountThrottle: new SignInThrottle({ freeFailures: 5, clock }),
    ipThrottle: new SignInThrottle({ freeFailures: 20, clock }),
  };
}
