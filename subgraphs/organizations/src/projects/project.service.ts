// Creating projects, each with exactly one environment of each mode. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { conflict, displayName, ENVIRONMENT_MODES, isUniqueViolation, newId, parseInput } from '@orgapi/shared';
import { countOf, lockOrganization, quotaExceeded } from '../quotas';
import { PROJECT_COLUMNS, toProject } from './project.loader';
import type { Project } from './project.type';
import type { Actor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';

const createInput = z.object({ organizationId: z.string(), name: displayName() });

export class ProjectService {
  constructor(
    private readonly db: DataSource,
    private readonly maxProjects: number,
  ) {}

  /** The caller must already be authorized for `projects:write` in the organization. QUOTA_EXCEEDED when it has as many as it may. */
  async create(actor: Actor, input: unknown): Promise<Project> {
    const { organizationId, name } = parseInput(createInput, input);
    try {
      return await this.db.transaction(async (tx) => {
        // Counted under the organization's lock, so two creations racing for the last place cannot both take it.
        await lockOrganization(tx, organizationId);
        if ((await countOf(tx, 'projects', 'organization_id', organizationId)) >= this.maxProjects) {
          throw quotaExceeded(`This organization has ${this.maxProjects.toLocaleString('en-US')} projects, the most one organization may have.`, this.maxProjects);
        }
        const [row] = await tx.query(`INSERT INTO projects (id, organization_id, name) VALUES ($1, $2, $3) RETURNING ${PROJECT_COLUMNS}`, [
          newId('prj'),
          organizationId,
          name,
        ]);
        // One statement for all modes; configuration starts as the column's default, an empty object.
        await tx.query(
          `INSERT INTO environments (id, organization_id, project_id, mode)
           SELECT environment.id, $2, $3, environment.mode FROM unnest($1::text[], $4::text[]) AS environment (id, mode)`,
          [ENVIRONMENT_MODES.map(() => newId('env')), organizationId, row.id, ENVIRONMENT_MODES],
        );
        const project = toProject(row);
        await recordAudit(tx, actor, { organizationId, action: 'project.created', target: { type: 'project', id: project.id }, after: { name } });
        return project;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'projects_organization_name_key')) {
        throw conflict(`A project named "${name}" already exists in this organization.`, 'name');
      }
      throw error;
    }
  }
}
