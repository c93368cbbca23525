// Project queries, fields and mutations.
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ENVIRONMENT_MODES, ListSize, notFound } from '@orgapi/shared';
import { authorize, authorizeOrganization, authorizeProject, authorizeProjectChange, isMember, refuseApiKeyBeyond, viewerPermissions, viewerPermissionsClaim } from '../access';
import { actorOf } from '../audit/actor';
import { claimField } from '../claim-field';
import type { OrganizationsContext } from '../context';
import { Environment, EnvironmentMode } from '../environments/environment.type';
import { Organization } from '../organizations/organization.type';
import { CreateProjectInput, DeleteProjectInput, ProjectInput, UpdateProjectInput } from './project.input';
import { DeleteProjectPayload, Project } from './project.type';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => Project, { nullable: true, description: 'A project in one of your organizations.' })
  project(@Arg('id', () => ID, { description: 'The project ID.' }) id: string, @Ctx() context: OrganizationsContext): Promise<Project> {
    return authorizeProject(context, id);
  }

  @FieldResolver(() => Organization, { description: 'The organization the project belongs to.' })
  async organization(@Root() project: Project, @Ctx() context: OrganizationsContext): Promise<Organization> {
    refuseApiKeyBeyond(context, "the project's organization");
    const organization = await context.loaders.organization.load(project.organizationId);
    if (!organization) throw notFound('Organization');
    return organization;
  }

  @FieldResolver(() => [Environment], { description: 'The SANDBOX and LIVE environments, in that order.' })
  @ListSize(ENVIRONMENT_MODES.length)
  async environments(@Root() project: Project, @Ctx() context: OrganizationsContext): Promise<Environment[]> {
    const key = context.apiKey;
    // An API key sees its own environment only: a sandbox key never reaches live, nor the other way round.
    if (key) return (await context.loaders.projectEnvironments.load(project.id)).filter((environment) => environment.id === key.environmentId);
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

  @Mutation(() => Project, { description: 'Renames a project or changes its description. Needs `projects:write`; an archived project must be restored first.' })
  async updateProject(
    @Arg('input', () => UpdateProjectInput, { description: 'The project and what to change.' }) input: UpdateProjectInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Project> {
    await authorizeProjectChange(context, input.projectId, 'projects:write');
    return context.projects.update(actorOf(context), input.projectId, input);
  }

  @Mutation(() => Project, {
    description: 'Archives a project: it stays readable, with its environments, keys and usage, but cannot be changed until restored. Needs `projects:write`. Archiving an archived project changes nothing.',
  })
  async archiveProject(
    @Arg('input', () => ProjectInput, { description: 'The project to archive.' }) input: ProjectInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Project> {
    await authorizeProjectChange(context, input.projectId, 'projects:write');
    return context.projects.setArchived(actorOf(context), input.projectId, true);
  }

  @Mutation(() => Project, { description: 'Restores an archived project, which can then be changed again. Needs `projects:write`.' })
  async restoreProject(
    @Arg('input', () => ProjectInput, { description: 'The project to restore.' }) input: ProjectInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Project> {
    await authorizeProjectChange(context, input.projectId, 'projects:write');
    return context.projects.setArchived(actorOf(context), input.projectId, false);
  }

  @Mutation(() => DeleteProjectPayload, {
    description:
      'Deletes a project: at once, for everyone, it and its environments no longer exist and its keys stop working. Its usage history stays in billing. Needs `projects:write` and the name typed again.',
  })
  async deleteProject(
    @Arg('input', () => DeleteProjectInput, { description: 'The project to delete, confirmed by its name.' }) input: DeleteProjectInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<DeleteProjectPayload> {
    await authorizeProjectChange(context, input.projectId, 'projects:write');
    return context.projects.delete(actorOf(context), input.projectId, input);
  }
}

/** Projects reached from another subgraph: null unless the caller is a member of their organization. */
export async function resolveProjectReference(reference: { id: string }, context: OrganizationsContext): Promise<Project | null> {
  const project = await context.loaders.project.load(reference.id);
  return project && (await isMember(context, project.organizationId)) ? project : null;
}
