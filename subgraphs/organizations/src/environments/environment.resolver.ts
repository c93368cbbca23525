// Environment queries and fields.
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { isId, notFound, requireViewer } from '@orgapi/shared';
import { authorize, isMember, viewerPermissions } from '../access';
import type { OrganizationsContext } from '../context';
import type { EnvironmentRecord, ProjectRecord } from '../records';
import { Environment, Project } from '../types';

@Resolver(() => Environment)
export class EnvironmentResolver {
  @Query(() => Environment, { nullable: true, description: 'An environment of a project in one of your organizations.' })
  async environment(@Arg('id', () => ID, { description: 'The environment ID.' }) id: string, @Ctx() context: OrganizationsContext): Promise<EnvironmentRecord> {
    requireViewer(context);
    const environment = isId(id, 'env') ? await context.loaders.environment.load(id) : null;
    if (!environment) throw notFound('Environment');
    await authorize(context, environment.organizationId, 'projects:read', 'Environment');
    return environment;
  }

  @FieldResolver(() => Project, { description: 'The project this environment belongs to.' })
  async project(@Root() environment: EnvironmentRecord, @Ctx() context: OrganizationsContext): Promise<ProjectRecord> {
    const project = await context.loaders.project.load(environment.projectId);
    if (!project) throw notFound('Project');
    return project;
  }

  @FieldResolver(() => [String], { description: 'What you may do with this environment, as permission names.' })
  viewerPermissions(@Root() environment: EnvironmentRecord, @Ctx() context: OrganizationsContext): Promise<readonly string[]> {
    return viewerPermissions(context, environment.organizationId);
  }
}

export async function resolveEnvironmentReference(reference: { id: string }, context: OrganizationsContext): Promise<EnvironmentRecord | null> {
  const environment = await context.loaders.environment.load(reference.id);
  return environment && (await isMember(context, environment.organizationId)) ? environment : null;
}
