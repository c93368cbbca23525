// Project queries, fields and mutations.
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ENVIRONMENT_MODES, ListSize, notFound } from '@orgapi/shared';
import { authorize, authorizeOrganization, authorizeProject, isMember, viewerPermissions, viewerPermissionsClaim } from '../access';
import { actorOf } from '../audit/actor';
import { claimField } from '../claim-field';
import type { OrganizationsContext } from '../context';
import { Environment, EnvironmentMode } from '../environments/environment.type';
import { Organization } from '../organizations/organization.type';
import { CreateProjectInput } from './project.input';
import { Project } from './project.type';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => Project, { nullable: true, description: 'A project in one of your organizations.' })
  project(@Arg('id', () => ID, { description: 'The project ID.' }) id: string, @Ctx() context: OrganizationsContext): Promise<Project> {
    return authorizeProject(context, id);
  }

  @FieldResolver(() => Organization, { description: 'The organization the project belongs to.' })
  async organization(@Root() project: Project, @Ctx() context: OrganizationsContext): Promise<Organization> {
    const organization = await context.loaders.organization.load(project.organizationId);
    if (!organization) throw notFound('Organization');
    return organization;
  }

  @FieldResolver(() => [Environment], { description: 'The SANDBOX and LIVE environments, in that order.' })
  @ListSize(ENVIRONMENT_MODES.length)
  async environments(@Root() project: Project, @Ctx() context: OrganizationsContext): Promise<Environment[]> {
    await authorize(context, project.organizationId, 'projects:read', 'Project');
    return context.loaders.projectEnvironments.load(project.id);
  }

  @FieldResolver(() => Environment, { description: 'The environment of the given mode.' })
  async environment(
    @Root() project: Project,
    @Arg('mode', () => EnvironmentMode, { description: 'SANDBOX or LIVE.' }) mode: EnvironmentMode,
    @Ctx() context: OrganizationsContext,
  ): Promise<Environment> {
    const environments = await this.environments(project, context);
    const environment = environments.find((e) => e.mode === mode);
    if (!environment) throw notFound('Environment');
    return environment;
  }

  @FieldResolver(() => [String], { description: 'What you may do with this project, as permission names.' })
  viewerPermissions(@Root() project: Project, @Ctx() context: OrganizationsContext): Promise<readonly string[]> {
    return viewerPermissions(context, project.organizationId);
  }

  @claimField("The caller's permissions in the project's organization, signed for billing and bound to the caller's credential and this project.")
  viewerPermissionsClaim(@Root() project: Project, @Ctx() context: OrganizationsContext): Promise<string | null> {
    return viewerPermissionsClaim(context, { typename: 'Project', id: project.id }, project.organizationId);
  }

  @Mutation(() => Project, { description: 'Creates a project with one SANDBOX and one LIVE environment. Needs `projects:write`.' })
  async createProject(
    @Arg('input', () => CreateProjectInput, { description: 'The new project.' }) input: CreateProjectInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Project> {
    await authorizeOrganization(context, input.organizationId, 'projects:write');
    return context.projects.create(actorOf(context), input);
  }
}

/** Projects reached from another subgraph: null unless the caller is a member of their organization. */
export async function resolveProjectReference(reference: { id: string }, context: OrganizationsContext): Promise<Project | null> {
  const project = await context.loaders.project.load(reference.id);
  return project && (await isMember(context, project.organizationId)) ? project : null;
}
