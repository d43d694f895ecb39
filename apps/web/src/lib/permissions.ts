/** The role table of `@outrun/schemas`, for hiding what the person's role cannot do (the API enforces it anyway). */
import { roleAllows, type Role, type WorkspacePermission } from '@outrun/schemas';

export type Permission = WorkspacePermission;

/** False while the role is unknown: nothing is offered before we know it is allowed. */
export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && roleAllows(role, permission);
}
