/** The role table of `@outrun/schemas`, for hiding what the person's role cannot do (the API enforces it anyway). */
import type { Role } from '@outrun/schemas';
// The subpath, not the index: the index pulls zod into the page, whose eval probe trips the strict CSP.
import { roleAllows, type WorkspacePermission } from '@outrun/schemas/role-permissions';

export type Permission = WorkspacePermission;

/** False while the role is unknown: nothing is offered before we know it is allowed. */
export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && roleAllows(role, permission);
}
