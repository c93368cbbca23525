// Reads projects by ID and pages of projects by organization.
import { childCountLoader, childPageLoader, columnLoader, loaderFamily, type PageRequest, type Queryable } from '@orgapi/shared';
import type { ProjectRecord } from '../records';

const COLUMNS = 'id, organization_id, name, created_at';
export const toProject = (row: Record<string, unknown>): ProjectRecord => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  name: row.name as string,
  createdAt: row.created_at as Date,
});

export function projectLoaders(db: Queryable) {
  return {
    project: columnLoader(db, { table: 'projects', columns: COLUMNS, column: 'id', map: toProject, keyOf: (project) => project.id }),
    projectsPage: loaderFamily((page: PageRequest) =>
      childPageLoader(db, { columns: COLUMNS, table: 'projects', parent: 'organization_id', map: toProject, parentOf: (p) => p.organizationId }, page),
    ),
    projectCount: childCountLoader(db, { table: 'projects', parent: 'organization_id' }),
  };
}
