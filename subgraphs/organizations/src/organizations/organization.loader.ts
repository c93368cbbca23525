// Reads live organizations by ID and by slug (current or recently given up), one statement per batch; the one place an organizations row becomes an Organization.
import { columnLoader, rowLoader, type Queryable, type Role } from '@orgapi/shared';
import type { Organization } from './organization.type';
import type { EnrollmentMode } from './settings';
import { isHeld } from './slug-history';

export const ORGANIZATION_COLUMNS = 'id, slug, name, created_at, default_role, invitation_expiry_days, allowed_email_domains, enrollment_mode';
export const toOrganization = (row: Record<string, unknown>): Organization => ({
  id: row.id as string,
  slug: row.slug as string,
  name: row.name as string,
  createdAt: row.created_at as Date,
  settings: {
    defaultRole: row.default_role as Role,
    invitationExpiryDays: row.invitation_expiry_days as number,
    allowedEmailDomains: row.allowed_email_domains as string[],
    enrollmentMode: row.enrollment_mode as EnrollmentMode,
  },
});

/**
 * SQL condition on a table's `organization_id`: the organization is not deleted. Every read of memberships filters
 * by it, so a deleted organization is gone for its members on their next request.
 */
export const IN_LIVE_ORGANIZATION = 'organization_id IN (SELECT id FROM organizations WHERE deleted_at IS NULL)';

export function organizationLoaders(db: Queryable) {
  // Whether a given-up slug is still held is decided here, not with now() in SQL: a read that asks the clock could not
  // be kept between requests (shared/src/prepared-reads.ts).
  const bySlug = `SELECT s.slug AS requested_slug, s.released_at, ${ORGANIZATION_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}
      FROM organization_slugs s JOIN organizations o ON o.id = s.organization_id
     WHERE s.slug = ANY($1) AND o.deleted_at IS NULL`;
  return {
    /** A live organization by ID; a deleted one is null, as if it never existed. */
    organization: columnLoader(db, { table: '(SELECT * FROM organizations WHERE deleted_at IS NULL) o', columns: ORGANIZATION_COLUMNS, column: 'id', map: toOrganization, keyOf: (org) => org.id }),
    /** A live organization by its slug or one it gave up within the reservation (GitHub's redirect for renamed organizations). */
    organizationBySlug: rowLoader<string, { requestedSlug: string; organization: Organization }>(
      async (slugs) =>
        ((await db.query(bySlug, [slugs])) as Record<string, unknown>[])
          .filter((row) => isHeld(row.released_at as Date | null))
          .map((row) => ({ requestedSlug: row.requested_slug as string, organization: toOrganization(row) })),
      (found) => found.requestedSlug,
    ),
  };
}
