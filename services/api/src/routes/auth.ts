/**
 * `/api/auth/*`: sign-up (the first person becomes the instance owner), sign-in with lockout, sign-out (here or
 * everywhere), who am I, password reset and accepting an invitation. Sessions are cookies (docs/accounts.md).
 */
import { ErrorCode, UserError, type User } from '@outrun/schemas';
import type { Request } from 'express';
import { z } from 'zod';
import type { ResolvedDeps } from '../deps';
import { csrfTokenOf } from '../http/authenticate';
import { clearSessionCookies } from '../http/cookies';
import { defineRoute, type Route } from '../http/route';
import { audit } from '../logic/accounts/audit';
import { hashPassword, verifyPassword } from '../logic/accounts/passwords';
import { accountKey, ipKey, resetKey, SignInThrottle } from '../logic/accounts/sign-in-throttle';
import { startSession } from '../logic/accounts/sessions';
import { AcceptInvitationBody, AccountView, AuthStatus, ResetConfirmBody, ResetRequestBody, SignInBody, SignUpBody } from './auth-schemas';
import { withErrors } from './common';

const linkInvalid = (): UserError => new UserError(ErrorCode.LINK_INVALID, 'This link is unknown, used, expired or for another email; ask for a new one.', 400);

export function accountRoutes(deps: ResolvedDeps): Route[] {
  const { accounts } = deps.store;
  const options = deps.accountOptions;
  const throttle = new SignInThrottle(accounts, deps.clock);

  /** Audits an event of `user` in every workspace they belong to (sign-ins concern them all). */
  const auditEverywhere = async (req: Request, user: User, action: string, actor?: { type: 'anonymous'; id: string; label: string }): Promise<void> => {
    for (const { workspace } of await accounts.listUserWorkspaces(user.id)) {
      await audit(deps, { req, principal: null, actor: actor ?? { type: 'user', id: user.id, label: user.email } }, workspace.id, action);
    }
  };

  return [
    defineRoute({
      method: 'get', path: '/api/auth/status', summary: 'Whether anyone has signed up yet, and which sign-in ways are offered', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      responses: { 200: { description: 'Status', schema: AuthStatus } },
      async handle() {
        return { status: 200, body: { hasUsers: (await accounts.countUsers()) > 0, signUpOpen: options.signUpOpen, oidc: options.oidc !== undefined, mail: options.mailer !== undefined } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/sign-up', summary: 'Sign up: the first person becomes the instance owner (and owner of every workspace); later only when sign-up is open', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      body: SignUpBody,
      responses: withErrors({ 201: { description: 'Signed up and signed in (session cookie set)', schema: AccountView } }, { 403: { description: 'Sign-up is by invitation (`OUT_ERR_SIGN_UP_CLOSED`)' }, 409: { description: 'Email taken' } }),
      async handle({ req, res, body, log }) {
        const first = (await accounts.countUsers()) === 0;
        if (!first && !options.signUpOpen) throw new UserError(ErrorCode.SIGN_UP_CLOSED, 'Sign-up is by invitation only on this instance.', 403);
        const user = await accounts.createUser({ email: body.email, passwordHash: await hashPassword(body.password), instanceOwner: first, ...(body.name ? { name: body.name } : {}) });
        // The first person owns what exists (an embedded install's local workspace keeps all its workflows); a
        // fresh instance gets one workspace. Later open sign-ups get a workspace of their own.
        const existing = first ? await deps.store.workspaces.listWorkspaces() : [];
        const owned = existing.length > 0 ? existing : [await deps.store.workspaces.createWorkspace({ name: body.name ? `${body.name}'s workspace` : 'My workspace' })];
        for (const ws of owned) {
          await accounts.setMembership(ws.id, user.id, 'owner');
          await audit(deps, { req, principal: null, actor: { type: 'user', id: user.id, label: user.email } }, ws.id, 'auth.signed_up', { details: { role: 'owner', instanceOwner: first } });
        }
        log.info({ userId: user.id, instanceOwner: first }, 'user signed up');
        return { status: 201, body: await startSession(deps.store, options, res, user) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/sign-in', summary: 'Sign in with email and password (locks out after repeated failures, per account and per IP)', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      body: SignInBody,
      responses: withErrors({ 200: { description: 'Signed in (session cookie set)', schema: AccountView } }, { 401: { description: '`OUT_ERR_SIGN_IN_FAILED`' }, 429: { description: '`OUT_ERR_SIGN_IN_LOCKED`, see `Retry-After`' } }),
      async handle({ req, res, body }) {
        const keys = [accountKey(body.email), ipKey(req.ip ?? 'unknown')] as const;
        const check = await throttle.check(keys);
        if (check.retryAfterSeconds > 0) {
          res.setHeader('Retry-After', String(check.retryAfterSeconds));
          throw new UserError(ErrorCode.SIGN_IN_LOCKED, `Too many failed sign-ins; try again in ${check.retryAfterSeconds} s.`, 429);
        }
        const found = await accounts.findUserByEmail(body.email);
        const ok = await verifyPassword(found?.passwordHash ?? null, body.password);
        if (!found || !ok) {
          await throttle.fail(keys);
          if (found) await auditEverywhere(req, found.user, 'auth.sign_in_failed', { type: 'anonymous', id: 'anonymous', label: body.email });
          throw new UserError(ErrorCode.SIGN_IN_FAILED, 'Wrong email or password.', 401);
        }
        await throttle.succeed(keys[0], check);
        await auditEverywhere(req, found.user, 'auth.signed_in');
        return { status: 200, body: await startSession(deps.store, options, res, found.user) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/sign-out', summary: 'Sign out this session', tag: 'auth', auth: 'account', permission: 'account', extension: true,
      responses: withErrors({ 204: { description: 'Signed out' } }),
      async handle({ res, principal }) {
        if (principal?.type === 'user') await accounts.revokeSession(principal.sessionToken);
        clearSessionCookies(res, { secure: options.secureCookies });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/sign-out-everywhere', summary: 'Sign out every session of this person', tag: 'auth', auth: 'account', permission: 'account', extension: true,
      responses: withErrors({ 200: { description: 'How many sessions ended', schema: z.object({ revoked: z.number() }) } }),
      async handle({ req, res, principal }) {
        if (principal?.type !== 'user') throw new UserError(ErrorCode.UNAUTHENTICATED, 'Sign in first.', 401);
        const revoked = await accounts.revokeUserSessions(principal.user.id);
        await auditEverywhere(req, principal.user, 'auth.signed_out_everywhere');
        clearSessionCookies(res, { secure: options.secureCookies });
        return { status: 200, body: { revoked } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/auth/me', summary: 'The signed-in person, their workspaces and roles, and the CSRF token', tag: 'auth', auth: 'account', permission: 'account', extension: true,
      responses: withErrors({ 200: { description: 'Me', schema: AccountView } }),
      async handle({ principal }) {
        if (principal?.type !== 'user') throw new UserError(ErrorCode.UNAUTHENTICATED, 'Sign in first.', 401);
        return { status: 200, body: { user: principal.user, workspaces: await accounts.listUserWorkspaces(principal.user.id), csrfToken: csrfTokenOf(principal.sessionToken) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/password-reset', summary: 'Email a password-reset link (always 202: whether the email exists is not said)', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      body: ResetRequestBody,
      responses: withErrors({ 202: { description: 'If the email belongs to someone, a link is on its way' } }),
      async handle({ req, body, log }) {
        // Each request counts against the IP like a failed sign-in: resets cannot be used to flood a mailbox.
        const key = resetKey(req.ip ?? 'unknown');
        if ((await throttle.check([key])).retryAfterSeconds > 0) return { status: 202 };
        await throttle.fail([key]);
        const found = await accounts.findUserByEmail(body.email);
        if (found && options.mailer) {
          const { token } = await accounts.createAccountToken({ kind: 'password_reset', email: found.user.email, ttlMs: options.resetTtlMs });
          const link = `${options.appBaseUrl}/reset-password?token=${encodeURIComponent(token)}`;
          await options.mailer
            .send({ to: found.user.email, subject: 'Reset your Outrun password', text: `Someone asked to reset the password of ${found.user.email} on Outrun.\n\nSet a new one here (valid for ${Math.round(options.resetTtlMs / 60_000)} minutes, once):\n${link}\n\nIf it was not you, ignore this email.` })
            .catch((err: unknown) => log.warn({ err: String(err) }, 'reset email failed'));
        }
        return { status: 202 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/password-reset/confirm', summary: 'Set a new password with a reset link (signs out every session)', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      body: ResetConfirmBody,
      responses: withErrors({ 204: { description: 'Password changed' } }),
      async handle({ req, body }) {
        const passwordHash = await hashPassword(body.password);
        const record = await accounts.consumeAccountToken('password_reset', body.token);
        const found = record ? await accounts.findUserByEmail(record.email) : null;
        if (!found) throw linkInvalid();
        await accounts.setPasswordHash(found.user.id, passwordHash);
        await accounts.revokeUserSessions(found.user.id);
        await auditEverywhere(req, found.user, 'auth.password_reset');
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/invitations/accept', summary: 'Accept an invitation: join its workspace (creating the account, or with the existing password) and sign in', tag: 'auth', auth: 'public', permission: 'public', extension: true,
      body: AcceptInvitationBody,
      responses: withErrors({ 200: { description: 'Joined and signed in', schema: AccountView } }, { 401: { description: 'Existing account, wrong password' } }),
      async handle({ req, res, body }) {
        const existing = await accounts.findUserByEmail(body.email);
        // An existing account proves its password before the single-use link is spent.
        if (existing && !(await verifyPassword(existing.passwordHash, body.password))) throw new UserError(ErrorCode.SIGN_IN_FAILED, 'This email has an account: use its password.', 401);
        const passwordHash = existing ? null : await hashPassword(body.password);
        const invitation = await accounts.consumeAccountToken('invitation', body.token);
        if (!invitation || invitation.email !== body.email || !invitation.workspaceId || !invitation.role) throw linkInvalid();
        const user = existing?.user ?? (await accounts.createUser({ email: body.email, passwordHash, ...(body.name ? { name: body.name } : {}) }));
        const current = await accounts.getMembership(invitation.workspaceId, user.id);
        if (!current) await accounts.setMembership(invitation.workspaceId, user.id, invitation.role);
        await audit(deps, { req, principal: null, actor: { type: 'user', id: user.id, label: user.email } }, invitation.workspaceId, 'member.joined', { target: { type: 'user', id: user.id }, details: { role: current?.role ?? invitation.role, invitation: invitation.id } });
        return { status: 200, body: await startSession(deps.store, options, res, user) };
      },
    }),
  ];
}
