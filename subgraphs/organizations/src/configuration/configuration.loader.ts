// Reads environments' configuration history, newest first; the one place a configuration_versions row becomes a ConfigurationVersion.
import DataLoader from 'dataloader';
import { groupLoader, loaderFamily, type PageRequest, type Queryable } from '@orgapi/shared';
import type { ActorType } from '../audit/actor';
import type { ConfigurationChange } from './configuration-diff';
import { MAX_LISTED_CHANGES, type ConfigurationVersion, type VersionSource } from './configuration.type';

export const VERSION_COLUMNS = 'id, environment_id, version, configuration, diff, source, source_version, author_type, author_id, author_user_id, created_at';

export const toConfigurationVersion = (row: Record<string, unknown>): ConfigurationVersion => ({
  id: row.id as string,
  environmentId: row.environment_id as string,
  version: row.version as number,
  configuration: row.configuration as Record<string, unknown>,
  diff: (row.diff as ConfigurationChange[]).slice(0, MAX_LISTED_CHANGES),
  changeCount: (row.diff as ConfigurationChange[]).length,
  source: row.source as VersionSource,
  sourceVersion: row.source_version as number | null,
  author: row.author_type
    ? { type: row.author_type as ActorType, id: row.author_id as string | null, user: row.author_user_id ? { id: row.author_user_id as string } : null }
    : null,
  createdAt: row.created_at as Date,
});

export function configurationLoaders(db: Queryable) {
  const pageSql = `SELECT * FROM (
      SELECT ${VERSION_COLUMNS}, row_number() OVER (PARTITION BY environment_id ORDER BY version DESC) AS page_row
        FROM configuration_versions v
       WHERE environment_id = ANY($1)
         AND ($2::text IS NULL OR version < (SELECT c.version FROM configuration_versions c WHERE c.id = $2 AND c.environment_id = v.environment_id))
    ) page WHERE page_row <= $3 ORDER BY version DESC`;
  return {
    /** A page of each environment's versions, newest first; the cursor is a version's ID (one of another environment's: an empty page). */
    configurationVersionsPage: loaderFamily((page: PageRequest) =>
      groupLoader<string, ConfigurationVersion>(
        async (environmentIds) => (await db.query(pageSql, [environmentIds, page.after, page.first + 1])).map(toConfigurationVersion),
        (version) => version.environmentId,
      ),
    ),
    configurationVersionCount: new DataLoader<string, number>(async (environmentIds) => {
      const rows: { environment_id: string; count: number }[] = await db.query(
        'SELECT environment_id, count(*)::int AS count FROM configuration_versions WHERE environment_id = ANY($1) GROUP BY environment_id',
        [environmentIds],
      );
      const counts = new Map(rows.map((row) => [row.environment_id, row.count]));
      return environmentIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}
