// Environments' configuration: each change a new immutable version, made only against the version its author read
// (no lost updates), within the limits every configuration keeps and the project's JSON Schema; rollbacks and
// promotions are versions too. Knows nothing of GraphQL; the caller has authorized `environments:write`.
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AppError, badInput, ErrorCode, newId, notFound, parseInput, type Queryable } from '@orgapi/shared';
import type { Actor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import { ENVIRONMENT_COLUMNS, toEnvironment } from '../environments/environment.loader';
import type { Environment } from '../environments/environment.type';
import { PROJECT_COLUMNS, toProject } from '../projects/project.loader';
import type { Project } from '../projects/project.type';
import { configurationDiff } from './configuration-diff';
import { configurationProblem } from './configuration-limits';
import { schemaProblem, schemaViolation } from './configuration-schema';
import type { VersionSource } from './configuration.type';

const version = () => z.number().int().min(1).max(2_147_483_647);
const updateInput = z.object({ configuration: z.record(z.string(), z.unknown()), expectedVersion: version() });
const rollbackInput = z.object({ version: version(), expectedVersion: version().nullish() });
const promoteInput = z.object({ expectedLiveVersion: version() });

interface LockedEnvironment {
  environment: Environment;
  project: Pick<Project, 'id' | 'organizationId' | 'name' | 'configurationSchema'>;
}

/** CONFLICT for a change made against a version that is no longer current, naming the current one. */
const staleVersion = (mode: string, current: number, expected: number, field: string) =>
  new AppError(
    ErrorCode.CONFLICT,
    `The ${mode} configuration is at version ${current}, not ${expected}: someone changed it since you read it. Read it again and make your change on version ${current}.`,
    { field, currentVersion: current, reason: 'stale_version' },
  );

const archived = (name: string) =>
  new AppError(ErrorCode.CONFLICT, `The project "${name}" is archived, so its configuration cannot be changed: restore it first (restoreProject).`, { reason: 'archived' });

export class ConfigurationService {
  constructor(private readonly db: DataSource) {}

  /** Replaces the environment's configuration with a new version, if `expectedVersion` is still its current one. */
  update(actor: Actor, environmentId: string, input: unknown): Promise<Environment> {
    const { configuration, expectedVersion } = parseInput(updateInput, input);
    const problem = configurationProblem(configuration);
    if (problem) throw badInput(problem.message, problem.path);
    return this.db.transaction(async (tx) => {
      const { environment, project } = await lockEnvironment(tx, environmentId);
      if (environment.configurationVersion !== expectedVersion) throw staleVersion(environment.mode, environment.configurationVersion, expectedVersion, 'expectedVersion');
      return writeVersion(tx, actor, environment, project, configuration, 'UPDATE', null);
    });
  }

  /** Restores an earlier version's content as a new version (the history keeps everything in between). */
  rollback(actor: Actor, environmentId: string, input: unknown): Promise<Environment> {
    const { version: wanted, expectedVersion } = parseInput(rollbackInput, input);
    return this.db.transaction(async (tx) => {
      const { environment, project } = await lockEnvironment(tx, environmentId);
      if (expectedVersion != null && environment.configurationVersion !== expectedVersion) {
        throw staleVersion(environment.mode, environment.configurationVersion, expectedVersion, 'expectedVersion');
      }
      const [row] = await tx.query('SELECT configuration FROM configuration_versions WHERE environment_id = $1 AND version = $2', [environmentId, wanted]);
      if (!row) throw badInput(`This environment has no configuration version ${wanted}; its latest is ${environment.configurationVersion}.`, 'version');
      return writeVersion(tx, actor, environment, project, row.configuration, 'ROLLBACK', wanted);
    });
  }

  /** Copies SANDBOX's current configuration to LIVE as a new LIVE version, if LIVE is still at `expectedLiveVersion`. */
  promote(actor: Actor, projectId: string, input: unknown): Promise<Environment> {
    const { expectedLiveVersion } = parseInput(promoteInput, input);
    return this.db.transaction(async (tx) => {
      // LIVE is the one written: locked for update; SANDBOX only read, so held against changes until the copy commits.
      const live = await lockEnvironmentOf(tx, projectId, 'LIVE');
      const sandbox = await lockEnvironmentOf(tx, projectId, 'SANDBOX');
      if (live.environment.configurationVersion !== expectedLiveVersion) {
        throw staleVersion('LIVE', live.environment.configurationVersion, expectedLiveVersion, 'expectedLiveVersion');
      }
      return writeVersion(tx, actor, live.environment, live.project, sandbox.environment.configuration, 'PROMOTION', sandbox.environment.configurationVersion);
    });
  }

  /** Sets (or, with null, removes) the project's configuration schema; refused while a current configuration breaks it. */
  setSchema(actor: Actor, projectId: string, schema: Record<string, unknown> | null): Promise<Project> {
    if (schema !== null) {
      const problem = schemaProblem(schema);
      if (problem) throw badInput(problem, 'schema');
    }
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [projectId]);
      if (!row) throw notFound('Project');
      if (row.archived_at !== null) throw archived(row.name);
      if (schema !== null) {
        const environments: { mode: string; configuration: Record<string, unknown> }[] = await tx.query(
          `SELECT mode, configuration FROM environments WHERE project_id = $1 ORDER BY mode = 'LIVE'`,
          [projectId],
        );
        for (const environment of environments) {
          const violation = schemaViolation(schema, environment.configuration);
          if (violation) {
            throw badInput(`The ${environment.mode} configuration does not follow this schema yet (${violation.message}) Change it first, then set the schema.`, 'schema');
          }
        }
      }
      const [[updated]] = await tx.query(`UPDATE projects SET configuration_schema = $2, updated_at = now() WHERE id = $1 RETURNING ${PROJECT_COLUMNS}`, [projectId, schema]);
      await recordAudit(tx, actor, {
        organizationId: row.organization_id,
        action: 'project.configuration_schema_updated',
        target: { type: 'project', id: projectId },
        before: { configurationSchema: row.configuration_schema },
        after: { configurationSchema: schema },
      });
      return toProject(updated);
    });
  }
}

/** Records version 1 of every environment of a project just created, with the configuration each was created with. */
export async function recordFirstVersions(tx: Queryable, projectId: string): Promise<void> {
  await tx.query(
    `INSERT INTO configuration_versions (id, environment_id, organization_id, version, configuration, diff, source)
     SELECT 'cfv_' || substr(id, 5), id, organization_id, 1, configuration, '[]'::jsonb, 'CREATED' FROM environments WHERE project_id = $1`,
    [projectId],
  );
}

/** The live environment and its project, the environment locked for update and the project against schema changes. */
async function lockEnvironment(tx: EntityManager, environmentId: string): Promise<LockedEnvironment> {
  return locked(await tx.query(lockSql('e.id = $1'), [environmentId]));
}

async function lockEnvironmentOf(tx: EntityManager, projectId: string, mode: 'SANDBOX' | 'LIVE'): Promise<LockedEnvironment> {
  return locked(await tx.query(lockSql('e.project_id = $1 AND e.mode = $2'), [projectId, mode]), 'Project');
}

const lockSql = (condition: string) =>
  `SELECT ${ENVIRONMENT_COLUMNS.split(', ')
    .map((column) => `e.${column}`)
    .join(', ')}, p.name AS project_name, p.archived_at AS project_archived_at, p.configuration_schema AS project_schema
     FROM environments e JOIN projects p ON p.id = e.project_id
    WHERE ${condition} AND p.deleted_at IS NULL
    FOR NO KEY UPDATE OF e FOR SHARE OF p`;

function locked(rows: Record<string, unknown>[], what = 'Environment'): LockedEnvironment {
  const [row] = rows;
  if (!row) throw notFound(what);
  const environment = toEnvironment(row);
  if (row.project_archived_at !== null) throw archived(row.project_name as string);
  return {
    environment,
    project: {
      id: environment.projectId,
      organizationId: environment.organizationId,
      name: row.project_name as string,
      configurationSchema: row.project_schema as Record<string, unknown> | null,
    },
  };
}

/**
 * Makes `configuration` the environment's next version, unless it is what the environment holds already (then nothing
 * is written and the environment is returned as it is). Checked against the project's schema first.
 */
async function writeVersion(
  tx: EntityManager,
  actor: Actor,
  environment: Environment,
  project: LockedEnvironment['project'],
  configuration: Record<string, unknown>,
  source: VersionSource,
  sourceVersion: number | null,
): Promise<Environment> {
  if (project.configurationSchema) {
    const violation = schemaViolation(project.configurationSchema, configuration);
    if (violation) throw badInput(violation.message, violation.path);
  }
  const diff = configurationDiff(environment.configuration, configuration);
  if (diff.length === 0) return environment;
  const next = environment.configurationVersion + 1;
  await tx.query(
    `INSERT INTO configuration_versions (id, environment_id, organization_id, version, configuration, diff, source, source_version, author_type, author_id, author_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [newId('cfv'), environment.id, environment.organizationId, next, configuration, JSON.stringify(diff), source, sourceVersion, actor.type, actor.id, actor.userId],
  );
  const [[row]] = await tx.query(
    `UPDATE environments SET configuration = $2, configuration_version = $3, updated_at = now() WHERE id = $1 RETURNING ${ENVIRONMENT_COLUMNS}`,
    [environment.id, configuration, next],
  );
  // The audit log says what changed where, not the values: a configuration may hold what an audit reader should not see.
  await recordAudit(tx, actor, {
    organizationId: environment.organizationId,
    action: source === 'PROMOTION' ? 'environment.configuration_promoted' : source === 'ROLLBACK' ? 'environment.configuration_rolled_back' : 'environment.configuration_updated',
    target: { type: 'environment', id: environment.id },
    before: { configurationVersion: environment.configurationVersion },
    after: { configurationVersion: next, changedPaths: diff.map((change) => change.path), ...(sourceVersion === null ? {} : { sourceVersion }) },
  });
  return toEnvironment(row);
}
