/** Starting a browser session: a stored session (hash only), its cookies, and what `/api/auth/me` answers. */
import type { Response } from 'express';
import type { AccountView, User } from '@outrun/schemas';
import type { Store } from '@outrun/store';
import { csrfTokenOf } from '../../http/authenticate';
import { setSessionCookies } from '../../http/cookies';
import type { ResolvedAccountOptions } from './options';

export type { AccountView };

export async function startSession(store: Pick<Store, 'accounts'>, options: ResolvedAccountOptions, res: Response, user: User): Promise<AccountView> {
  const { token } = await store.accounts.createSession(user.id, { idleMs: options.sessionIdleMs, absoluteMs: options.sessionAbsoluteMs });
  const csrfToken = csrfTokenOf(token);
  setSessionCookies(res, { token, csrf: csrfToken, maxAgeMs: options.sessionAbsoluteMs }, { secure: options.secureCookies });
  return { user, workspaces: await store.accounts.listUserWorkspaces(user.id), csrfToken };
}
