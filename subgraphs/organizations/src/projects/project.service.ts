// Creating projects, each with exactly one SANDBOX and one LIVE environment. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { conflict, isUniqueViolation, newId, parseInput, text } from '@orgapi/shared';
import { EnvironmentEntity, ProjectEntity } from '../entities';
import type { ProjectRecord } from '../records';

const createInput = z.object({
  organizationId: z.string(),
  name: text().trim().min(1, "Name can't be empty.").max(100, 'A name is at most 100 characters.'),
});

export class ProjectService {
  constructor(private readonly db: DataSource) {}

  /** The caller must already be authorized for `projects:write` in the organization. */
  async create(input: unknown): Promise<ProjectRecord> {
    const { organizationId, name } = parseInput(createInput, input);
    try {
      return await this.db.transaction(async (tx) => {
        const id = newId('prj');
        const { generatedMaps } = await tx.insert(ProjectEntity, { id, organizationId, name });
        await tx.insert(
          EnvironmentEntity,
          (['SANDBOX', 'LIVE'] as const).map((mode) => ({ id: newId('env'), organizationId, projectId: id, mode, configuration: {} })),
        );
        return { id, organizationId, name, createdAt: generatedMaps[0].createdAt as Date };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'projects_organization_name_key')) {
        throw conflict(`A project named "${name}" already exists in this organization.`, 'name');
      }
      throw error;
    }
  }
}
