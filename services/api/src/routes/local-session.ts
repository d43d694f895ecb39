/**
 * Embedded mode's automatic sign-in of the local owner (docs/accounts.md "Embedded mode"). Only the web server of
 * `npm start` can call it: it must present the embedded local API key, and that web server calls it only for
 * browser requests whose Host (and Origin) is the configured local origin. Elsewhere the route answers 404.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, UserError, type User } from '@outrun/schemas';
import type { ResolvedDeps } from '../deps';
import { defineRoute, type Route } from '../http/route';
import { secretsEqual } from '../http/secrets';
import { audit } from '../logic/accounts/audit';
import { hashPassword } from '../logic/accounts/passwords';
import { startSession } from '../logic/accounts/sessions';
import { AccountView } from './auth-schemas';
import { withErrors } from './common';

/** The email of the local owner created when an embedded install has nobody yet. */
export const LOCAL_OWNER_EMAIL = 'local-owner@outrun.localhost';

/** The owner of the local workspace (the instance owner first), creating the local owner when nobody signed up. */
async function localOwner(deps: ResolvedDeps, workspaceId: string): Promise<User | null> {
  const { accounts } = deps.store;
  if ((await accounts.countUsers()) === 0) {
    // A random password nobody knows: the local owner signs in only this way (or after a reset by email).
    const user = await accounts.createUser({ email: LOCAL_OWNER_EMAIL, name: 'Local owner', passwordHash: await hashPassword(randomBytes(32).toString('base64url')), instanceOwner: true });
    // Like the first sign-up: the first person owns what exists, so the local workspace and its workflows stay theirs.
    for (const ws of await deps.store.workspaces.listWorkspaces()) await accounts.setMembership(ws.id, user.id, 'owner');
    return user;
  }
  const owners = (await accounts.listMembers(workspaceId)).filter((m) => m.role === 'owner');
  const users = (await Promise.all(owners.map((m) => accounts.getUser(m.userId)))).filter((u): u is User => u !== null);
  return users.find((u) => u.instanceOwner) ?? users[0] ?? null;
}

export function localSessionRoutes(deps: ResolvedDeps): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/auth/local-session', summary: 'Embedded mode: sign in the local owner (called by the web server with the local key only)', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      responses: withErrors({ 200: { description: 'Signed in as the local owner (session cookie set)', schema: AccountView } }, { 404: { description: 'Not embedded mode, or not the local key' } }),
      async handle({ req, res, log }) {
        const local = deps.localSignIn;
        const presented = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
        // One answer for "not embedded" and "wrong key": the route's existence tells nothing.
        if (!local || !secretsEqual(presented, local.apiKey)) throw new UserError(ErrorCode.NOT_FOUND, 'Not found.', 404);
        const user = await localOwner(deps, local.workspaceId);
        if (!user) throw new UserError(ErrorCode.NOT_FOUND, 'The local workspace has no owner.', 404);
        await audit(deps, { req, principal: null, actor: { type: 'user', id: user.id, label: user.email } }, local.workspaceId, 'auth.signed_in', { details: { local: true } });
        log.info({ userId: user.id }, 'local owner signed in automatically');
        return { status: 200, body: await startSession(deps.store, deps.accountOptions, res, user) };
      },
    }),
  ];
}
