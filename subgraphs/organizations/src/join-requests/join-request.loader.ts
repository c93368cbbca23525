// Reads join requests and the organizations suggested to the caller; rows become JoinRequests and SuggestedOrganizations only here.
import { childCountLoader, childPageLoader, groupLoader, loaderFamily, rowLoader, type PageRequest, type Queryable } from '@orgapi/shared';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import type { JoinRequest, JoinRequestStatus, SuggestedOrganization } from './join-request.type';

export const JOIN_REQUEST_COLUMNS = 'id, organization_id, user_id, email, status, created_at, decided_at';
export const toJoinRequest = (row: Record<string, unknown>): JoinRequest => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  userId: row.user_id as string,
  email: row.email as string,
  status: row.status as JoinRequestStatus,
  createdAt: row.created_at as Date,
  decidedAt: (row.decided_at as Date | null) ?? null,
});

/**
 * The organizations suggested to `$2` at the email domains `$1`: they verified the domain, enroll by
 * AUTOMATIC_SUGGESTION, are not deleted, and `$2` is not a member.
 */
export const SUGGESTED = `SELECT o.id, o.slug, o.name, d.domain
    FROM domains d JOIN organizations o ON o.id = d.organization_id
   WHERE d.domain = ANY($1) AND d.status = 'VERIFIED' AND o.deleted_at IS NULL AND o.enrollment_mode = 'AUTOMATIC_SUGGESTION'
     AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id AND m.user_id = $2)`;

const byStatus = (status: JoinRequestStatus | null) => (status ? { where: (param: (i: number) => string) => `status = ${param(0)}`, parameters: [status] } : {});

export function joinRequestLoaders(db: Queryable, viewerId: string | null) {
  return {
    /** A join request to a live organization by ID. */
    joinRequest: rowLoader<string, JoinRequest>(
      async (ids) => (await db.query(`SELECT ${JOIN_REQUEST_COLUMNS} FROM join_requests WHERE id = ANY($1) AND ${IN_LIVE_ORGANIZATION}`, [ids])).map(toJoinRequest),
      (request) => request.id,
    ),
    /** A page of each organization's join requests, oldest first, optionally of one status. */
    joinRequestsPage: loaderFamily(({ page, status }: { page: PageRequest; status: JoinRequestStatus | null }) =>
      childPageLoader(db, { columns: JOIN_REQUEST_COLUMNS, table: 'join_requests', parent: 'organization_id', map: toJoinRequest, parentOf: (r) => r.organizationId, ...byStatus(status) }, page),
    ),
    /** How many join requests each organization has, optionally of one status. */
    joinRequestCount: loaderFamily((status: JoinRequestStatus | null) => childCountLoader(db, { table: 'join_requests', parent: 'organization_id', ...byStatus(status) }), (status) => status ?? ''),
    /** The organizations suggested to the caller at each email domain; none for an anonymous caller. */
    suggestedOrganizations: groupLoader<string, SuggestedOrganization>(
      async (domains) => (viewerId === null ? [] : ((await db.query(`${SUGGESTED} ORDER BY o.id`, [domains, viewerId])) as SuggestedOrganization[])),
      (suggested) => suggested.domain,
    ),
    /** The caller's pending join request to each organization; null where there is none. */
    viewerPendingJoinRequest: rowLoader<string, JoinRequest>(
      async (organizationIds) =>
        viewerId === null
          ? []
          : (await db.query(`SELECT ${JOIN_REQUEST_COLUMNS} FROM join_requests WHERE user_id = $1 AND status = 'PENDING' AND organization_id = ANY($2)`, [viewerId, organizationIds])).map(
              toJoinRequest,
            ),
      (request) => request.organizationId,
    ),
  };
}
