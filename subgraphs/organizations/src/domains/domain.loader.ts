// Reads domains by ID and by organization; rows become Domains only here.
import { groupLoader, rowLoader, type Queryable } from '@orgapi/shared';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import type { Domain, DomainStatus } from './domain.type';

export const DOMAIN_COLUMNS = 'id, organization_id, domain, status, verification_token, created_at, verified_at';
export const toDomain = (row: Record<string, unknown>): Domain => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  domain: row.domain as string,
  status: row.status as DomainStatus,
  verificationToken: row.verification_token as string,
  createdAt: row.created_at as Date,
  verifiedAt: (row.verified_at as Date | null) ?? null,
});

export function domainLoaders(db: Queryable) {
  return {
    /** A domain of a live organization by ID. */
    domain: rowLoader<string, Domain>(
      async (ids) => (await db.query(`SELECT ${DOMAIN_COLUMNS} FROM domains WHERE id = ANY($1) AND ${IN_LIVE_ORGANIZATION}`, [ids])).map(toDomain),
      (domain) => domain.id,
    ),
    /** Each organization's domains, oldest first (at most its domains quota). */
    domains: groupLoader<string, Domain>(
      async (organizationIds) => (await db.query(`SELECT ${DOMAIN_COLUMNS} FROM domains WHERE organization_id = ANY($1) ORDER BY id`, [organizationIds])).map(toDomain),
      (domain) => domain.organizationId,
    ),
  };
}
