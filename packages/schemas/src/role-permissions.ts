/**
 * What each workspace role may do — one table for the gateway (which enforces it on every route) and the web app
 * (which hides what the role cannot do). docs/accounts.md "Roles".
 */
import type { Role } from './account';

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
