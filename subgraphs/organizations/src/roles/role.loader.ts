// Reads custom roles by ID and by organization, and how many members hold each role; rows become Roles only here.
import { groupLoader, rowLoader, type Queryable } from '@orgapi/shared';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { BUILT_IN_ROLES, builtInRoleId, effectivePermissions, type MemberRole } from './role-rules';
import type { Role } from './role.type';

export const ROLE_COLUMNS = 'id, organization_id, key, name, description, permissions, created_at, updated_at';
export const toRole = (row: Record<string, unknown>): Role => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  key: row.key as string,
  name: row.name as string,
  description: (row.description as string) || null,
  permissions: effectivePermissions('CUSTOM', row.permissions as string[]),
  builtIn: false,
  builtInRole: null,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

/** The five built-in roles as read in one organization. */
export const builtInRolesIn = (organizationId: string): Role[] =>
  BUILT_IN_ROLES.map(({ role, id, key, name, description, permissions }) => ({
    id,
    organizationId,
    key,
    name,
    description,
    permissions,
    builtIn: true,
    builtInRole: role,
    createdAt: null,
    updatedAt: null,
  }));

export function roleLoaders(db: Queryable) {
  return {
    /** A custom role of a live organization by ID. */
    role: rowLoader<string, Role>(
      async (ids) => (await db.query(`SELECT ${ROLE_COLUMNS} FROM roles WHERE id = ANY($1) AND ${IN_LIVE_ORGANIZATION}`, [ids])).map(toRole),
      (role) => role.id,
    ),
    /** Each organization's custom roles, oldest first. */
    customRoles: groupLoader<string, Role>(
      async (organizationIds) => (await db.query(`SELECT ${ROLE_COLUMNS} FROM roles WHERE organization_id = ANY($1) ORDER BY id`, [organizationIds])).map(toRole),
      (role) => role.organizationId,
    ),
    /** For each organization, how many members hold each role, by role ID (built-in and custom alike). */
    roleMemberCounts: groupLoader<string, { organizationId: string; roleId: string; count: number }>(
      async (organizationIds) =>
        (
          (await db.query(
            `SELECT organization_id, role, custom_role_id, count(*)::int AS count FROM memberships WHERE organization_id = ANY($1) GROUP BY organization_id, role, custom_role_id`,
            [organizationIds],
          )) as { organization_id: string; role: MemberRole; custom_role_id: string | null; count: number }[]
        ).map((row) => ({ organizationId: row.organization_id, roleId: row.role === 'CUSTOM' ? row.custom_role_id! : builtInRoleId(row.role), count: row.count })),
      (row) => row.organizationId,
    ),
  };
}
