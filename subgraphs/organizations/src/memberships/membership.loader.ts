// Reads memberships by caller, organization and user, and each user's active organization; rows become Memberships only here.
import { childCountLoader, childPageLoader, groupLoader, loaderFamily, rowLoader, type PageRequest, type Permission, type Queryable } from '@orgapi/shared';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { effectivePermissions, type MemberRole } from '../roles/role-rules';
import type { Membership } from './membership.type';

/** An organization another user and the caller both belong to, with the caller's permissions in it. */
export interface SharedOrganization {
  userId: string;
  organizationId: string;
  viewerPermissions: readonly Permission[];
}

/**
 * Columns of a `memberships` row (selected FROM memberships, unaliased), with the permissions of its custom role: every
 * read of a membership yields its effective permissions in the same statement.
 */
export const MEMBERSHIP_COLUMNS =
  'id, organization_id, user_id, role, custom_role_id, created_at, (SELECT r.permissions FROM roles r WHERE r.id = custom_role_id) AS custom_permissions';
const COLUMNS = MEMBERSHIP_COLUMNS;
export const toMembership = (row: Record<string, unknown>): Membership => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  userId: row.user_id as string,
  role: row.role as MemberRole,
  customRoleId: (row.custom_role_id as string | null) ?? null,
  permissions: effectivePermissions(row.role as MemberRole, row.custom_permissions as string[] | null),
  joinedAt: row.created_at as Date,
});

/** Which members a page or a count is about: by role (CUSTOM: any custom role), by custom role, by user (a search's matches); null: any. */
export interface MemberFilter {
  role: MemberRole | null;
  customRoleId: string | null;
  userIds: string[] | null;
}

export const NO_MEMBER_FILTER: MemberFilter = { role: null, customRoleId: null, userIds: null };

// One statement whatever the filter: an absent condition is a NULL parameter.
const filtered = (filter: MemberFilter) => ({
  where: (param: (index: number) => string) =>
    `(${param(0)}::text IS NULL OR role = ${param(0)}) AND (${param(1)}::text IS NULL OR custom_role_id = ${param(1)}) AND (${param(2)}::text[] IS NULL OR user_id = ANY(${param(2)}))`,
  parameters: [filter.role, filter.customRoleId, filter.userIds],
});

// Memberships of deleted organizations are kept but never read: to their members the organization is gone.
export function membershipLoaders(db: Queryable, viewerId: string | null) {
  // Another user's memberships are visible only in organizations the caller belongs to too.
  const visibleToViewer = {
    where: (param: (index: number) => string) =>
      `${IN_LIVE_ORGANIZATION} AND (user_id = ${param(0)} OR organization_id IN (SELECT organization_id FROM memberships WHERE user_id = ${param(0)}))`,
    parameters: [viewerId],
  };
  return {
    /** Memberships by ID, in live organizations only. */
    membership: rowLoader<string, Membership>(
      async (ids) => (await db.query(`SELECT ${COLUMNS} FROM memberships WHERE id = ANY($1) AND ${IN_LIVE_ORGANIZATION}`, [ids])).map(toMembership),
      (membership) => membership.id,
    ),
    /** The caller's own membership in each organization; null where the caller is not a member. */
    viewerMembership: rowLoader<string, Membership>(
      async (organizationIds) =>
        viewerId === null
          ? []
          : (await db.query(`SELECT ${COLUMNS} FROM memberships WHERE user_id = $1 AND organization_id = ANY($2) AND ${IN_LIVE_ORGANIZATION}`, [viewerId, organizationIds])).map(
              toMembership,
            ),
      (membership) => membership.organizationId,
    ),
    /** For each other user, the organizations they share with the caller; none for an anonymous caller. */
    sharedOrganizations: groupLoader<string, SharedOrganization>(
      async (userIds) =>
        viewerId === null
          ? []
          : (
              await db.query(
                `SELECT them.user_id, them.organization_id, me.role, r.permissions AS custom_permissions
                   FROM memberships them JOIN memberships me ON me.organization_id = them.organization_id AND me.user_id = $1
                   LEFT JOIN roles r ON r.id = me.custom_role_id
                  WHERE them.user_id = ANY($2)`,
                [viewerId, userIds],
              )
            ).map((row: Record<string, unknown>) => ({
              userId: row.user_id as string,
              organizationId: row.organization_id as string,
              viewerPermissions: effectivePermissions(row.role as MemberRole, row.custom_permissions as string[] | null),
            })),
      (shared) => shared.userId,
    ),
    /** A page of each organization's members, oldest first, that match a filter. */
    membersPage: loaderFamily(({ page, filter }: { page: PageRequest; filter: MemberFilter }) =>
      childPageLoader(db, { columns: COLUMNS, table: 'memberships', parent: 'organization_id', map: toMembership, parentOf: (m) => m.organizationId, ...filtered(filter) }, page),
    ),
    /** How many of each organization's members match a filter. */
    memberCount: loaderFamily((filter: MemberFilter) => childCountLoader(db, { table: 'memberships', parent: 'organization_id', ...filtered(filter) })),
    /** Every member's user ID, per organization (at most its members quota): what a search by name or email asks identity about. */
    memberUserIds: groupLoader<string, { organizationId: string; userId: string }>(
      async (organizationIds) =>
        ((await db.query('SELECT organization_id, user_id FROM memberships WHERE organization_id = ANY($1)', [organizationIds])) as Record<string, string>[]).map((row) => ({
          organizationId: row.organization_id,
          userId: row.user_id,
        })),
      (row) => row.organizationId,
    ),
    userMembershipsPage: loaderFamily((page: PageRequest) =>
      childPageLoader(db, { columns: COLUMNS, table: 'memberships', parent: 'user_id', map: toMembership, parentOf: (m) => m.userId, ...visibleToViewer }, page),
    ),
    userMembershipCount: childCountLoader(db, { table: 'memberships', parent: 'user_id', ...visibleToViewer }),
    /**
     * The organization each user works in: the one they last switched to while still a member, else the one they
     * joined first.
     */
    activeOrganizationId: rowLoader<string, { userId: string; organizationId: string }>(
      async (userIds) =>
        (
          await db.query(
            `SELECT DISTINCT ON (m.user_id) m.user_id, m.organization_id
               FROM memberships m LEFT JOIN user_settings s ON s.user_id = m.user_id
              WHERE m.user_id = ANY($1) AND m.${IN_LIVE_ORGANIZATION}
              ORDER BY m.user_id, m.organization_id = s.active_organization_id DESC NULLS LAST, m.id`,
            [userIds],
          )
        ).map((row: Record<string, unknown>) => ({ userId: row.user_id as string, organizationId: row.organization_id as string })),
      (row) => row.userId,
    ),
  };
}
