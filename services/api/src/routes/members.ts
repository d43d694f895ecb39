/**
 * Members of a workspace: list, invite by email, change a role, remove. Nobody grants or touches a role above
 * their own, only owners touch owners, and the last owner stays.
 */
import { AccountToken, Email, ErrorCode, Id, Member, Role, UserError } from '@outrun/schemas';
import { z } from 'zod';
import type { ResolvedDeps } from '../deps';
import { forbidden } from '../http/authenticate';
import { notFound } from '../http/errors';
import { canManageRole } from '../http/permissions';
import { defineRoute, type Principal, type Route } from '../http/route';
import { audit } from '../logic/accounts/audit';
import { WsParams, withErrors } from './common';

export const InviteBody = z.strictObject({ email: Email, role: Role });
export const Invited = z.object({ invitation: AccountToken, emailed: z.boolean(), acceptUrl: z.string().optional() });
const MemberParams = z.object({ ws: Id, userId: Id });

function actorRole(principal: Principal | null): Role {
  if (principal === null || principal.role === null) throw forbidden('member:manage');
  return principal.role;
}

export function memberRoutes(deps: ResolvedDeps): Route[] {
  const { accounts } = deps.store;
  const options = deps.accountOptions;
  const base = '/api/workspaces/:ws';

  const lastOwner = async (ws: string, userId: string): Promise<boolean> => {
    const owners = (await accounts.listMembers(ws)).filter((m) => m.role === 'owner');
    return owners.length === 1 && owners[0]!.userId === userId;
  };

  return [
    defineRoute({
      method: 'get', path: `${base}/members`, summary: 'Members with their roles', tag: 'members', auth: 'workspace', permission: 'member:read', extension: true,
      params: WsParams,
      responses: withErrors({ 200: { description: 'Members', schema: z.object({ items: z.array(Member), nextCursor: z.null() }) } }),
      async handle({ params }) {
        return { status: 200, body: { items: await accounts.listMembers(params.ws), nextCursor: null } };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/invitations`, summary: 'Invite someone by email with a role (a single-use link, emailed when SMTP is configured)', tag: 'members', auth: 'workspace', permission: 'member:manage', extension: true,
      params: WsParams, body: InviteBody,
      responses: withErrors({ 201: { description: 'Invited', schema: Invited } }),
      async handle({ req, params, body, principal, log }) {
        if (!canManageRole(actorRole(principal), body.role)) throw forbidden(`member:manage (${body.role})`);
        const workspace = await deps.store.workspaces.getWorkspace(params.ws);
        if (!workspace) throw notFound('Workspace');
        const inviter = principal?.type === 'user' ? principal.user.id : principal?.type === 'api_key' ? `key:${principal.key.id}` : undefined;
        const { token, record } = await accounts.createAccountToken({ kind: 'invitation', email: body.email, workspaceId: params.ws, role: body.role, ttlMs: options.invitationTtlMs, ...(inviter ? { createdBy: inviter } : {}) });
        const acceptUrl = `${options.appBaseUrl}/accept-invitation?token=${encodeURIComponent(token)}&email=${encodeURIComponent(body.email)}`;
        let emailed = false;
        if (options.mailer) {
          const who = principal?.type === 'user' ? principal.user.email : 'An administrator';
          await options.mailer
            .send({ to: body.email, subject: `You are invited to ${workspace.name} on Outrun`, text: `${who} invited you to the workspace "${workspace.name}" on Outrun as ${body.role}.\n\nAccept (valid for ${Math.round(options.invitationTtlMs / 86_400_000)} days, once):\n${acceptUrl}\n` })
            .then(() => (emailed = true))
            .catch((err: unknown) => log.warn({ err: String(err) }, 'invitation email failed'));
        }
        await audit(deps, { req, principal }, params.ws, 'member.invited', { target: { type: 'invitation', id: record.id }, details: { email: body.email, role: body.role } });
        // Without a mailer the inviting admin passes the link on; with one, the link goes only to the invitee.
        return { status: 201, body: { invitation: record, emailed, ...(options.mailer ? {} : { acceptUrl }) } };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/invitations`, summary: 'Open invitations (unused, unexpired)', tag: 'members', auth: 'workspace', permission: 'member:manage', extension: true,
      params: WsParams,
      responses: withErrors({ 200: { description: 'Invitations', schema: z.object({ items: z.array(AccountToken), nextCursor: z.null() }) } }),
      async handle({ params }) {
        return { status: 200, body: { items: await accounts.listInvitations(params.ws), nextCursor: null } };
      },
    }),
    defineRoute({
      method: 'patch', path: `${base}/members/:userId`, summary: "Change a member's role", tag: 'members', auth: 'workspace', permission: 'member:manage', extension: true,
      params: MemberParams, body: z.strictObject({ role: Role }),
      responses: withErrors({ 200: { description: 'Changed', schema: z.object({ workspaceId: Id, userId: Id, role: Role, createdAt: z.string() }) } }, { 409: { description: 'The last owner cannot be demoted' } }),
      async handle({ req, params, body, principal }) {
        const current = await accounts.getMembership(params.ws, params.userId);
        if (!current) throw notFound('Member');
        const role = actorRole(principal);
        if (!canManageRole(role, current.role) || !canManageRole(role, body.role)) throw forbidden(`member:manage (${current.role} → ${body.role})`);
        if (current.role === 'owner' && body.role !== 'owner' && (await lastOwner(params.ws, params.userId))) throw new UserError(ErrorCode.CONFLICT, 'The last owner cannot be demoted; make someone else owner first.', 409);
        const changed = await accounts.setMembership(params.ws, params.userId, body.role);
        await audit(deps, { req, principal }, params.ws, 'member.role_changed', { target: { type: 'user', id: params.userId }, details: { from: current.role, to: body.role } });
        return { status: 200, body: changed };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/members/:userId`, summary: 'Remove a member', tag: 'members', auth: 'workspace', permission: 'member:manage', extension: true,
      params: MemberParams,
      responses: withErrors({ 204: { description: 'Removed' } }, { 409: { description: 'The last owner cannot be removed' } }),
      async handle({ req, params, principal }) {
        const current = await accounts.getMembership(params.ws, params.userId);
        if (!current) throw notFound('Member');
        if (!canManageRole(actorRole(principal), current.role)) throw forbidden(`member:manage (${current.role})`);
        if (current.role === 'owner' && (await lastOwner(params.ws, params.userId))) throw new UserError(ErrorCode.CONFLICT, 'The last owner cannot be removed.', 409);
        await accounts.removeMembership(params.ws, params.userId);
        await audit(deps, { req, principal }, params.ws, 'member.removed', { target: { type: 'user', id: params.userId }, details: { role: current.role } });
        return { status: 204 };
      },
    }),
  ];
}
