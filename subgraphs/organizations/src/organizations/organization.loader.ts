// Reads organizations by ID and by slug, one statement per batch.
import { rowLoader, type Queryable } from '@orgapi/shared';
import type { OrganizationRecord } from '../records';

const COLUMNS = 'id, slug, name, created_at';
const toOrganization = (row: Record<string, unknown>): OrganizationRecord => ({
  id: row.id as string,
  slug: row.slug as string,
  name: row.name as string,
  createdAt: row.created_at as Date,
});

export function organizationLoaders(db: Queryable) {
  return {
    organization: rowLoader<string, OrganizationRecord>(
      async (ids) => (await db.query(`SELECT ${COLUMNS} FROM organizations WHERE id = ANY($1)`, [ids])).map(toOrganization),
      (org) => org.id,
    ),
    organizationBySlug: rowLoader<string, OrganizationRecord>(
      async (slugs) => (await db.query(`SELECT ${COLUMNS} FROM organizations WHERE slug = ANY($1)`, [slugs])).map(toOrganization),
      (org) => org.slug,
    ),
  };
}
