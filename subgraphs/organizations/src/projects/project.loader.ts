// Reads projects by ID and pages of projects by organization; the one place a projects row becomes a Project.
import { childCountLoader, childPageLoader, columnLoader, loaderFamily, type PageRequest, type Queryable } from '@orgapi/shared';
import type { Project } from './project.type';

export const PROJECT_COLUMNS = 'id, organization_id, name, created_at';
export const toProject = (row: Record<string, unknown>): Project => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  name: row.name as string,
  createdAt: row.created_at as Date,
});

export function projectLoaders(db: Queryable) {
  return {
    project: columnLoader(db, { table: 'projects', columns: PROJECT_COLUMNS, column: 'id', map: toProject, keyOf: (project) => project.id }),
    projectsPage: loaderFamily((page: PageRequest) =>
      childPageLoader(db, { columns: PROJECT_COLUMNS, table: 'projects', parent: 'organization_id', map: toProject, parentOf: (p) => p.organizationId }, page),
    ),
    projectCount: childCountLoader(db, { table: 'projects', parent: 'organization_id' }),
  };
}
