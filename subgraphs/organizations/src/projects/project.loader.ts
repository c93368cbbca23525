// Reads projects by ID and pages of projects by organization; the one place a projects row becomes a Project.
// Deleted projects are kept for billing's history and the audit log, and read by nothing here.
import { childCountLoader, childPageLoader, columnLoader, containsPattern, loaderFamily, type PageRequest, type Queryable } from '@orgapi/shared';
import type { Project } from './project.type';

export const PROJECT_COLUMNS = 'id, organization_id, name, description, archived_at, configuration_schema, created_at, updated_at';
export const toProject = (row: Record<string, unknown>): Project => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  name: row.name as string,
  description: row.description as string,
  archived: row.archived_at !== null,
  archivedAt: row.archived_at as Date | null,
  configurationSchema: row.configuration_schema as Record<string, unknown> | null,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

/** Which of an organization's projects a list shows: archived or not (null: both), and a search in names and descriptions. */
export interface ProjectFilter {
  archived: boolean | null;
  /** Trimmed and not empty, or null for none. */
  search: string | null;
}

export const NO_PROJECT_FILTER: ProjectFilter = { archived: null, search: null };

/** The filter as SQL over the projects table, live projects only: one statement's shape whatever is filtered. */
function filtered(filter: ProjectFilter) {
  return {
    where: (param: (index: number) => string) =>
      `deleted_at IS NULL AND (${param(0)}::boolean IS NULL OR (archived_at IS NOT NULL) = ${param(0)}::boolean)
       AND (${param(1)}::text IS NULL OR name ILIKE ${param(1)} ESCAPE '\\' OR description ILIKE ${param(1)} ESCAPE '\\')`,
    parameters: [filter.archived, filter.search === null ? null : containsPattern(filter.search)],
  };
}

export function projectLoaders(db: Queryable) {
  return {
    project: columnLoader(db, {
      table: '(SELECT * FROM projects WHERE deleted_at IS NULL) p',
      columns: PROJECT_COLUMNS,
      column: 'id',
      map: toProject,
      keyOf: (project) => project.id,
    }),
    projectsPage: loaderFamily(({ page, filter }: { page: PageRequest; filter: ProjectFilter }) =>
      childPageLoader(db, { columns: PROJECT_COLUMNS, table: 'projects', parent: 'organization_id', map: toProject, parentOf: (p) => p.organizationId, ...filtered(filter) }, page),
    ),
    projectCount: loaderFamily((filter: ProjectFilter) => childCountLoader(db, { table: 'projects', parent: 'organization_id', ...filtered(filter) })),
  };
}
