// Reads environments by ID and the environments of each project.
import { columnLoader, groupLoader, type Queryable } from '@orgapi/shared';
import type { EnvironmentMode, EnvironmentRecord } from '../records';

const COLUMNS = 'id, organization_id, project_id, mode, configuration, created_at';
export const toEnvironment = (row: Record<string, unknown>): EnvironmentRecord => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  projectId: row.project_id as string,
  mode: row.mode as EnvironmentMode,
  configuration: row.configuration as Record<string, unknown>,
  createdAt: row.created_at as Date,
});

export function environmentLoaders(db: Queryable) {
  return {
    environment: columnLoader(db, { table: 'environments', columns: COLUMNS, column: 'id', map: toEnvironment, keyOf: (environment) => environment.id }),
    // SANDBOX sorts before LIVE, the order a dashboard shows them in.
    projectEnvironments: groupLoader<string, EnvironmentRecord>(
      async (projectIds) =>
        (await db.query(`SELECT ${COLUMNS} FROM environments WHERE project_id = ANY($1) ORDER BY project_id, mode = 'LIVE', id`, [projectIds])).map(
          toEnvironment,
        ),
      (environment) => environment.projectId,
    ),
  };
}
