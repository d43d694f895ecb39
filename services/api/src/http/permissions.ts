/**
 * What each role may do. Every route declares one `Permission` in the route table (`RouteSpec.permission`,
 * required: a route without it does not typecheck); `mount-routes.ts` checks it after authentication.
 */
import type { Role } from '@outrun/schemas';

/** Permissions checked against the caller's role in the `:ws` workspace. */
export const WORKSPACE_PERMISSIONS = [
  'workspace:read',
  'workflow:read',
  'workflow:write',
  'run:read',
  'run:operate',
  'data:read',
  'data:write',
  'credential:read',
  'credential:manage',
  'api_key:manage',
  'member:read',
  'member:manage',
  'audit:read',
] as const;
export type WorkspacePermission = (typeof WORKSPACE_PERMISSIONS)[number];

/**
 * Besides workspace permissions: `public` (no credentials), `instance:admin` (the admin token or the instance
 * owner's session) and `account` (any signed-in person, no workspace: me, sign out).
 */
export type Permission = WorkspacePermission | 'public' | 'instance:admin' | 'account';

const VIEWER: readonly WorkspacePermission[] = ['workspace:read', 'workflow:read', 'run:read', 'data:read', 'member:read'];
const OPERATOR: readonly WorkspacePermission[] = [...VIEWER, 'run:operate'];
const EDITOR: readonly WorkspacePermission[] = [...OPERATOR, 'workflow:write', 'data:write', 'credential:read'];
const ADMIN: readonly WorkspacePermission[] = [...EDITOR, 'credential:manage', 'api_key:manage', 'member:manage', 'audit:read'];

/** The role → permissions table (owner = admin + managing owners and the workspace itself, enforced in handlers). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<WorkspacePermission>>> = {
  owner: new Set(ADMIN),
  admin: new Set(ADMIN),
  editor: new Set(EDITOR),
  operator: new Set(OPERATOR),
  viewer: new Set(VIEWER),
};

export function roleAllows(role: Role, permission: WorkspacePermission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export const isWorkspacePermission = (p: Permission): p is WorkspacePermission => (WORKSPACE_PERMISSIONS as readonly string[]).includes(p);

const RANK: Record<Role, number> = { owner: 4, admin: 3, editor: 2, operator: 1, viewer: 0 };

/** Whether `actor` may grant, change or remove `target` (nobody above themselves; only owners touch owners). */
export function canManageRole(actor: Role, target: Role): boolean {
  if (target === 'owner') return actor === 'owner';
  return RANK[actor] >= RANK[target] && roleAllows(actor, 'member:manage');
}
