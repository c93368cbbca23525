// Reads environments by ID and the environments of each project; the one place an environments row becomes an Environment.
import { columnLoader, groupLoader, type EnvironmentMode, type Queryable } from '@orgapi/shared';
import type { Environment } from './environment.type';

export const ENVIRONMENT_COLUMNS = 'id, organization_id, project_id, mode, configuration, configuration_version, created_at';
export const toEnvironment = (row: Record<string, unknown>): Environment => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  projectId: row.project_id as string,
  mode: row.mode as EnvironmentMode,
  configuration: row.configuration as Record<string, unknown>,
  configurationVersion: row.configuration_version as number,
  createdAt: row.created_at as Date,
});

const LIVE_ENVIRONMENTS = '(SELECT * FROM environments WHERE project_id IN (SELECT id FROM projects WHERE deleted_at IS NULL)) e';

export function environmentLoaders(db: Queryable) {
  return {
    // A deleted project's environments are kept with it, and read by nothing.
    environment: columnLoader(db, { table: LIVE_ENVIRONMENTS, columns: ENVIRONMENT_COLUMNS, column: 'id', map: toEnvironment, keyOf: (environment) => environment.id }),
    // SANDBOX sorts before LIVE, the order a dashboard shows them in.
    projectEnvironments: groupLoader<string, Environment>(
      async (projectIds) =>
        (await db.query(`SELECT ${ENVIRONMENT_COLUMNS} FROM environments WHERE project_id = ANY($1) ORDER BY project_id, mode = 'LIVE', id`, [projectIds])).map(
          toEnvironment,
        ),
      (environment) => environment.projectId,
    ),
  };
}
