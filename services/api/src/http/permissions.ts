/**
 * What each role may do. Every route declares one `Permission` in the route table (`RouteSpec.permission`,
 * required: a route without it does not typecheck); `mount-routes.ts` checks it after authentication.
 */
import { roleAllows, WORKSPACE_PERMISSIONS, type Role, type WorkspacePermission } from '@outrun/schemas';

// The role table itself lives in @outrun/schemas (the web app hides what a role cannot do from the same table).
export { ROLE_PERMISSIONS, roleAllows, WORKSPACE_PERMISSIONS, type WorkspacePermission } from '@outrun/schemas';

/**
 * Besides workspace permissions: `public` (no credentials), `instance:admin` (the admin token or the instance
 * owner's session) and `account` (any signed-in person, no workspace: me, sign out).
 */
export type Permission = WorkspacePermission | 'public' | 'instance:admin' | 'account';

export const isWorkspacePermission = (p: Permission): p is WorkspacePermission => (WORKSPACE_PERMISSIONS as readonly string[]).includes(p);

const RANK: Record<Role, number> = { owner: 4, admin: 3, editor: 2, operator: 1, viewer: 0 };

/** Whether `actor` may grant, change or remove `target` (nobody above themselves; only owners touch owners). */
export function canManageRole(actor: Role, target: Role): boolean {
  if (target === 'owner') return actor === 'owner';
  return RANK[actor] >= RANK[target] && roleAllows(actor, 'member:manage');
}
