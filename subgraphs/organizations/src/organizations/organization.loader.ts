// Reads organizations by ID and by slug, one statement per batch; the one place an organizations row becomes an Organization.
import { columnLoader, type Queryable } from '@orgapi/shared';
import type { Organization } from './organization.type';

export const ORGANIZATION_COLUMNS = 'id, slug, name, created_at';
export const toOrganization = (row: Record<string, unknown>): Organization => ({
  id: row.id as string,
  slug: row.slug as string,
  name: row.name as string,
  createdAt: row.created_at as Date,
});

export function organizationLoaders(db: Queryable) {
  const table = { table: 'organizations', columns: ORGANIZATION_COLUMNS, map: toOrganization };
  return {
    organization: columnLoader(db, { ...table, column: 'id', keyOf: (org) => org.id }),
    organizationBySlug: columnLoader(db, { ...table, column: 'slug', keyOf: (org) => org.slug }),
  };
}
