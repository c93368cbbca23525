// Creating, changing, archiving, restoring and deleting projects, each created with exactly one environment of each
// mode. Knows nothing of GraphQL; the caller has authorized `projects:write` in the project's organization.
import type { EntityManager, DataSource } from 'typeorm';
import { z } from 'zod';
import { AppError, badInput, conflict, displayName, ENVIRONMENT_MODES, ErrorCode, isUniqueViolation, newId, notFound, parseInput, text } from '@orgapi/shared';
import type { Actor } from '../audit/actor';
import { changes } from '../audit/audit-summary';
import { recordAudit } from '../audit/audit.service';
import { recordFirstVersions } from '../configuration/configuration.service';
import { countOf, lockOrganization, quotaExceeded } from '../quotas';
import { MAX_PROJECT_DESCRIPTION_LENGTH } from './project.input';
import { PROJECT_COLUMNS, toProject } from './project.loader';
import type { DeleteProjectPayload, Project } from './project.type';

const description = () =>
  text()
    .transform((value) => value.trim().normalize('NFC'))
    .pipe(z.string().max(MAX_PROJECT_DESCRIPTION_LENGTH, `A description is at most ${MAX_PROJECT_DESCRIPTION_LENGTH.toLocaleString('en-US')} characters.`));

const createInput = z.object({ organizationId: z.string(), name: displayName(), description: description().nullish() });
const updateInput = z.object({ name: displayName().nullish(), description: description().nullish() });
const deleteInput = z.object({ confirmName: text() });

/** CONFLICT for a change to an archived project: it is read-only until restored. */
const archivedProject = (name: string) =>
  new AppError(ErrorCode.CONFLICT, `The project "${name}" is archived, so it cannot be changed: restore it first (restoreProject).`, { reason: 'archived' });

export class ProjectService {
  constructor(
    private readonly db: DataSource,
    private readonly maxProjects: number,
  ) {}

  /** QUOTA_EXCEEDED when the organization has as many projects (archived ones included) as it may. */
  async create(actor: Actor, input: unknown): Promise<Project> {
    const { organizationId, name, description } = parseInput(createInput, input);
    return this.named(name, () =>
      this.db.transaction(async (tx) => {
        // Counted under the organization's lock, so two creations racing for the last place cannot both take it.
        await lockOrganization(tx, organizationId);
        if ((await countOf(tx, 'projects', 'organization_id', organizationId)) >= this.maxProjects) {
          throw quotaExceeded(`This organization has ${this.maxProjects.toLocaleString('en-US')} projects, the most one organization may have.`, this.maxProjects);
        }
        const [row] = await tx.query(`INSERT INTO projects (id, organization_id, name, description) VALUES ($1, $2, $3, $4) RETURNING ${PROJECT_COLUMNS}`, [
          newId('prj'),
          organizationId,
          name,
          description ?? '',
        ]);
        // One statement for all modes; configuration starts as the column's default, an empty object. The database
        // refuses to commit a project without both (projects_both_environments).
        await tx.query(
          `INSERT INTO environments (id, organization_id, project_id, mode)
           SELECT environment.id, $2, $3, environment.mode FROM unnest($1::text[], $4::text[]) AS environment (id, mode)`,
          [ENVIRONMENT_MODES.map(() => newId('env')), organizationId, row.id, ENVIRONMENT_MODES],
        );
        await recordFirstVersions(tx, row.id);
        const project = toProject(row);
        await recordAudit(tx, actor, { organizationId, action: 'project.created', target: { type: 'project', id: project.id }, after: { name, description: project.description } });
        return project;
      }),
    );
  }

  /** Renames or describes a project that is not archived; a change to nothing records nothing. */
  async update(actor: Actor, projectId: string, input: unknown): Promise<Project> {
    const { name, description } = parseInput(updateInput, input);
    return this.named(name ?? '', () =>
      this.db.transaction(async (tx) => {
        const current = await lockLive(tx, projectId);
        if (current.archived) throw archivedProject(current.name);
        const diff = changes({ name: current.name, description: current.description }, { name: name ?? undefined, description: description ?? undefined });
        if (Object.keys(diff.after).length === 0) return current;
        // TypeORM answers an UPDATE with [rows, count].
        const [[row]] = await tx.query(
          `UPDATE projects SET name = coalesce($2, name), description = coalesce($3, description), updated_at = now() WHERE id = $1 RETURNING ${PROJECT_COLUMNS}`,
          [projectId, name ?? null, description ?? null],
        );
        await recordAudit(tx, actor, { organizationId: current.organizationId, action: 'project.updated', target: { type: 'project', id: projectId }, ...diff });
        return toProject(row);
      }),
    );
  }

  /** Archives (`archived` true) or restores a project; one already so is returned unchanged, with no audit event. */
  setArchived(actor: Actor, projectId: string, archived: boolean): Promise<Project> {
    return this.db.transaction(async (tx) => {
      const current = await lockLive(tx, projectId);
      if (current.archived === archived) return current;
      const [[row]] = await tx.query(`UPDATE projects SET archived_at = ${archived ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1 RETURNING ${PROJECT_COLUMNS}`, [projectId]);
      await recordAudit(tx, actor, {
        organizationId: current.organizationId,
        action: archived ? 'project.archived' : 'project.restored',
        target: { type: 'project', id: projectId },
        before: { archived: current.archived },
        after: { archived },
      });
      return toProject(row);
    });
  }

  /**
   * Soft-deletes a project once `confirmName` repeats its name: from the next request it and its environments are
   * NOT_FOUND for everyone, as if they never existed; its rows stay for billing's history and the audit log.
   */
  delete(actor: Actor, projectId: string, input: unknown): Promise<DeleteProjectPayload> {
    const { confirmName } = parseInput(deleteInput, input);
    return this.db.transaction(async (tx) => {
      const current = await lockLive(tx, projectId);
      if (confirmName !== current.name) throw badInput(`Type the project's name, "${current.name}", to confirm its deletion.`, 'confirmName');
      const [[{ deleted_at: deletedAt }]] = await tx.query(`UPDATE projects SET deleted_at = now(), updated_at = now() WHERE id = $1 RETURNING deleted_at`, [projectId]);
      await recordAudit(tx, actor, {
        organizationId: current.organizationId,
        action: 'project.deleted',
        target: { type: 'project', id: projectId },
        before: { name: current.name, description: current.description, archived: current.archived },
      });
      return { projectId, deletedAt };
    });
  }

  /** Runs a write that may give a project `name`, turning the unique index's refusal into CONFLICT on `name`. */
  private async named<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error, 'projects_organization_name_key')) throw conflict(`A project named "${name}" already exists in this organization.`, 'name');
      throw error;
    }
  }
}

/** The live project, locked until the transaction ends so that concurrent changes apply one after the other. */
async function lockLive(tx: EntityManager, projectId: string): Promise<Project> {
  const [row] = await tx.query(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1 AND deleted_at IS NULL FOR NO KEY UPDATE`, [projectId]);
  if (!row) throw notFound('Project');
  return toProject(row);
}
