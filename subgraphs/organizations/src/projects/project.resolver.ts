// Project queries, fields and mutations.
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isId, notFound, requireViewer } from '@orgapi/shared';
import { authorize, isMember, viewerPermissions } from '../access';
import type { OrganizationsContext } from '../context';
import type { EnvironmentRecord, OrganizationRecord, ProjectRecord } from '../records';
import { Environment, EnvironmentMode, Organization, Project } from '../types';

@InputType({ description: 'A new project.' })
export class CreateProjectInput {
  @Field(() => ID, { description: 'The organization the project belongs to.' })
  organizationId!: string;

  @Field({ description: 'Display name, unique within the organization.' })
  name!: string;
}

/** Loads a project the caller may read, or NOT_FOUND (the same for a missing project and another organization's). */
export async function readableProject(context: OrganizationsContext, id: string): Promise<ProjectRecord> {
  requireViewer(context);
  const project = isId(id, 'prj') ? await context.loaders.project.load(id) : null;
  if (!project) throw notFound('Project');
  await authorize(context, project.organizationId, 'projects:read', 'Project');
  return project;
}

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => Project, { nullable: true, description: 'A project in one of your organizations.' })
  project(@Arg('id', () => ID, { description: 'The project ID.' }) id: string, @Ctx() context: OrganizationsContext): Promise<ProjectRecord> {
    return readableProject(context, id);
  }

  @FieldResolver(() => Organization, { description: 'The organization the project belongs to.' })
  async organization(@Root() project: ProjectRecord, @Ctx() context: OrganizationsContext): Promise<OrganizationRecord> {
    const organization = await context.loaders.organization.load(project.organizationId);
    if (!organization) throw notFound('Organization');
    return organization;
  }

  @FieldResolver(() => [Environment], { description: 'The SANDBOX and LIVE environments, in that order.' })
  async environments(@Root() project: ProjectRecord, @Ctx() context: OrganizationsContext): Promise<EnvironmentRecord[]> {
    await authorize(context, project.organizationId, 'projects:read', 'Project');
    return context.loaders.projectEnvironments.load(project.id);
  }

  @FieldResolver(() => Environment, { description: 'The environment of the given mode.' })
  async environment(
    @Root() project: ProjectRecord,
    @Arg('mode', () => EnvironmentMode, { description: 'SANDBOX or LIVE.' }) mode: EnvironmentMode,
    @Ctx() context: OrganizationsContext,
  ): Promise<EnvironmentRecord> {
    const environments = await this.environments(project, context);
    const environment = environments.find((e) => e.mode === mode);
    if (!environment) throw notFound('Environment');
    return environment;
  }

  @FieldResolver(() => [String], { description: 'What you may do with this project, as permission names.' })
  viewerPermissions(@Root() project: ProjectRecord, @Ctx() context: OrganizationsContext): Promise<readonly string[]> {
    return viewerPermissions(context, project.organizationId);
  }

  @Mutation(() => Project, { description: 'Creates a project with one SANDBOX and one LIVE environment. Needs `projects:write`.' })
  async createProject(@Arg('input', () => CreateProjectInput, { description: 'The new project.' }) input: CreateProjectInput, @Ctx() context: OrganizationsContext): Promise<ProjectRecord> {
    requireViewer(context);
    if (!isId(input.organizationId, 'org') || !(await context.loaders.organization.load(input.organizationId))) throw notFound('Organization');
    await authorize(context, input.organizationId, 'projects:write');
    return context.projects.create(input);
  }
}

export async function resolveProjectReference(reference: { id: string }, context: OrganizationsContext): Promise<ProjectRecord | null> {
  const project = await context.loaders.project.load(reference.id);
  return project && (await isMember(context, project.organizationId)) ? project : null;
}

