// The pure rules of roles: the five built-in roles as roles, the member role (built-in or CUSTOM), effective permissions,
// and what a custom role may hold.
import { inMatrixOrder, isPermission, permissionsOf, roleHas, ROLES, type Permission, type Role } from '@orgapi/shared';

/** What a membership holds: one of the built-in roles of the matrix, or CUSTOM (a custom role of the organization). */
export const MEMBER_ROLES = [...ROLES, 'CUSTOM'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const BUILT_IN_ROLE_DESCRIPTIONS: Record<Role, string> = {
  OWNER: 'Everything, including deleting the organization and managing other owners.',
  ADMIN: 'Everything except deleting the organization and managing owners.',
  BILLING: 'Billing and credits, and reading projects.',
  MEMBER: 'Reads and writes projects and environments; reads members.',
  VIEWER: 'Reads only: no secrets, no billing.',
};

const BUILT_IN_ROLE_NAMES: Record<Role, string> = { OWNER: 'Owner', ADMIN: 'Admin', BILLING: 'Billing', MEMBER: 'Member', VIEWER: 'Viewer' };

/** A built-in role's fixed ID (`role_owner` …): the same in every organization, never a TypeID. */
export const builtInRoleId = (role: Role): string => `role_${role.toLowerCase()}`;

/** The built-in role a role ID names, or null for any other ID. */
export function builtInRoleOfId(id: string): Role | null {
  return ROLES.find((role) => builtInRoleId(role) === id) ?? null;
}

/** The built-in roles as roles: ID, key, name, description and permissions. */
export const BUILT_IN_ROLES = ROLES.map((role) => ({
  role,
  id: builtInRoleId(role),
  key: role.toLowerCase(),
  name: BUILT_IN_ROLE_NAMES[role],
  description: BUILT_IN_ROLE_DESCRIPTIONS[role],
  permissions: permissionsOf(role),
}));

/** Keys a custom role cannot take: the built-in roles' and the word for custom roles themselves. */
export const RESERVED_ROLE_KEYS: readonly string[] = [...BUILT_IN_ROLES.map((role) => role.key), 'custom'];

/** Permissions only the OWNER role holds: ownership is that role, so no custom role may hold them. */
export const OWNER_ONLY_PERMISSIONS: readonly Permission[] = permissionsOf('OWNER').filter((permission) => !roleHas('ADMIN', permission));

/** What a member may do: the matrix's permissions for a built-in role, the custom role's own otherwise. */
export function effectivePermissions(role: MemberRole, customPermissions: readonly string[] | null | undefined): readonly Permission[] {
  if (role !== 'CUSTOM') return permissionsOf(role);
  // A permission the matrix no longer knows (a later release removed it) grants nothing.
  return inMatrixOrder((customPermissions ?? []).filter(isPermission));
}

/** The permissions of `wanted` that `held` lacks, in the matrix's order: what the holder of `held` may not hand out. */
export function lacking(held: readonly Permission[], wanted: readonly Permission[]): Permission[] {
  return inMatrixOrder(wanted.filter((permission) => !held.includes(permission)));
}

/** The keys of `keys` that name no permission of the matrix, and the owner-only permissions among the others. */
export function permissionProblems(keys: readonly string[]): { unknown: string[]; ownerOnly: Permission[] } {
  return {
    unknown: [...new Set(keys.filter((key) => !isPermission(key)))],
    ownerOnly: inMatrixOrder(keys.filter(isPermission).filter((key) => OWNER_ONLY_PERMISSIONS.includes(key))),
  };
}
