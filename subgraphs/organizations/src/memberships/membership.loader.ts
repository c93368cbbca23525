// Reads memberships by caller, organization and user, and each user's active organization; rows become Memberships only here.
import { childCountLoader, childPageLoader, groupLoader, loaderFamily, rowLoader, type PageRequest, type Queryable, type Role } from '@orgapi/shared';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import type { Membership } from './membership.type';

/** An organization another user and the caller both belong to, with the caller's role in it. */
export interface SharedOrganization {
  userId: string;
  organizationId: string;
  viewerRole: Role;
}

export const MEMBERSHIP_COLUMNS = 'id, organization_id, user_id, role, created_at';
const COLUMNS = MEMBERSHIP_COLUMNS;
export const toMembership = (row: Record<string, unknown>): Membership => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  userId: row.user_id as string,
  role: row.role as Role,
  joinedAt: row.created_at as Date,
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
                `SELECT them.user_id, them.organization_id, me.role
                   FROM memberships them JOIN memberships me ON me.organization_id = them.organization_id AND me.user_id = $1
                  WHERE them.user_id = ANY($2)`,
                [viewerId, userIds],
              )
            ).map((row: Record<string, unknown>) => ({ userId: row.user_id as string, organizationId: row.organization_id as string, viewerRole: row.role as Role })),
      (shared) => shared.userId,
    ),
    membersPage: loaderFamily((page: PageRequest) =>
      childPageLoader(db, { columns: COLUMNS, table: 'memberships', parent: 'organization_id', map: toMembership, parentOf: (m) => m.organizationId }, page),
    ),
    memberCount: childCountLoader(db, { table: 'memberships', parent: 'organization_id' }),
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
