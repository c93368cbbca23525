// Reads invitations by ID, by organization (with a status) and by invitee address; rows become Invitations only here.
import { childCountLoader, childPageLoader, groupLoader, loaderFamily, rowLoader, type PageRequest, type Queryable } from '@orgapi/shared';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import type { MemberRole } from '../roles/role-rules';
import type { Invitation, InvitationStatus } from './invitation.type';

/** The status as the API shows it: a pending invitation past its expiry reads EXPIRED. */
const STATUS = `CASE WHEN status = 'PENDING' AND expires_at <= now() THEN 'EXPIRED' ELSE status END`;

/** Columns of an `invitations` row (selected FROM invitations, unaliased), its shown status among them; never the token's hash. */
export const INVITATION_COLUMNS = `id, organization_id, email, role, custom_role_id, ${STATUS} AS shown_status, invited_by, expires_at, created_at`;
export const toInvitation = (row: Record<string, unknown>): Invitation => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  email: row.email as string,
  role: row.role as MemberRole,
  customRoleId: (row.custom_role_id as string | null) ?? null,
  status: row.shown_status as InvitationStatus,
  invitedBy: row.invited_by as string | null,
  expiresAt: row.expires_at as Date,
  createdAt: row.created_at as Date,
});

/** Most invitations one address can have pending at once that `viewer.pendingInvitations` lists. */
export const PENDING_INVITATIONS_LIST_SIZE = 100;

// One statement whatever the filter: no status is a NULL parameter.
const withStatus = (status: InvitationStatus | null) => ({
  where: (param: (index: number) => string) => `(${param(0)}::text IS NULL OR ${STATUS} = ${param(0)})`,
  parameters: [status],
});

export function invitationLoaders(db: Queryable) {
  return {
    /** An invitation of a live organization by ID. */
    invitation: rowLoader<string, Invitation>(
      async (ids) => (await db.query(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE id = ANY($1) AND ${IN_LIVE_ORGANIZATION}`, [ids])).map(toInvitation),
      (invitation) => invitation.id,
    ),
    /** A page of each organization's invitations, oldest first, with a status (any when null). */
    invitationsPage: loaderFamily(({ page, status }: { page: PageRequest; status: InvitationStatus | null }) =>
      childPageLoader(db, { columns: INVITATION_COLUMNS, table: 'invitations', parent: 'organization_id', map: toInvitation, parentOf: (i) => i.organizationId, ...withStatus(status) }, page),
    ),
    /** How many of each organization's invitations have a status (any when null). */
    invitationCount: loaderFamily((status: InvitationStatus | null) => childCountLoader(db, { table: 'invitations', parent: 'organization_id', ...withStatus(status) })),
    /** The invitations pending and unexpired to each address, in live organizations, newest first. */
    pendingInvitationsTo: groupLoader<string, Invitation>(
      async (emails) =>
        (
          await db.query(
            `SELECT * FROM (
               SELECT ${INVITATION_COLUMNS}, row_number() OVER (PARTITION BY email ORDER BY id DESC) AS n
                 FROM invitations WHERE email = ANY($1) AND status = 'PENDING' AND expires_at > now() AND ${IN_LIVE_ORGANIZATION}
             ) listed WHERE n <= $2 ORDER BY id DESC`,
            [emails, PENDING_INVITATIONS_LIST_SIZE],
          )
        ).map(toInvitation),
      (invitation) => invitation.email,
    ),
  };
}
