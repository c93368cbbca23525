// Reads organizations by ID and by slug, one statement per batch.
import { columnLoader, type Queryable } from '@orgapi/shared';
import type { OrganizationRecord } from '../records';

const COLUMNS = 'id, slug, name, created_at';
const toOrganization = (row: Record<string, unknown>): OrganizationRecord => ({
  id: row.id as string,
  slug: row.slug as string,
  name: row.name as string,
  createdAt: row.created_at as Date,
});

export function organizationLoaders(db: Queryable) {
  const table = { table: 'organizations', columns: COLUMNS, map: toOrganization };
  return {
    organization: columnLoader(db, { ...table, column: 'id', keyOf: (org) => org.id }),
    organizationBySlug: columnLoader(db, { ...table, column: 'slug', keyOf: (org) => org.slug }),
  };
}
