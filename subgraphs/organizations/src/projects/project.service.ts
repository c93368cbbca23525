// Creating projects, each with exactly one environment of each mode. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { conflict, displayName, ENVIRONMENT_MODES, isUniqueViolation, newId, parseInput } from '@orgapi/shared';
import { PROJECT_COLUMNS, toProject } from './project.loader';
import type { Project } from './project.type';
import type { Actor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';

const createInput = z.object({ organizationId: z.string(), name: displayName() });

export class ProjectService {
  constructor(private readonly db: DataSource) {}

  /** The caller must already be authorized for `projects:write` in the organization. */
  async create(actor: Actor, input: unknown): Promise<Project> {
    const { organizationId, name } = parseInput(createInput, input);
    try {
      return await this.db.transaction(async (tx) => {
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
