// Environment queries and fields.
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { JSONObject, notFound } from '@orgapi/shared';
import { authorizeEnvironment, isMember, refuseApiKeyBeyond, viewerPermissions, viewerPermissionsClaim } from '../access';
import { claimField } from '../claim-field';
import type { OrganizationsContext } from '../context';
import { Project } from '../projects/project.type';
import { Environment } from './environment.type';

@Resolver(() => Environment)
export class EnvironmentResolver {
  @Query(() => Environment, { nullable: true, description: 'An environment of a project in one of your organizations.' })
  environment(@Arg('id', () => ID, { description: 'The environment ID.' }) id: string, @Ctx() context: OrganizationsContext): Promise<Environment> {
    return authorizeEnvironment(context, id);
  }

  @FieldResolver(() => Project, { description: 'The project this environment belongs to. A publishable API key cannot read it.' })
  async project(@Root() environment: Environment, @Ctx() context: OrganizationsContext): Promise<Project> {
    refuseApiKeyBeyond(context, "the environment's project", true);
    const project = await context.loaders.project.load(environment.projectId);
    if (!project) throw notFound('Project');
    return project;
  }

  @FieldResolver(() => JSONObject, {
    description: "This environment's configuration, a JSON object. Members and the environment's secret API keys read it; a publishable key reads only `publicConfiguration`.",
  })
  configuration(@Root() environment: Environment, @Ctx() context: OrganizationsContext): Record<string, unknown> {
    refuseApiKeyBeyond(context, 'the whole configuration (read publicConfiguration)', true);
    return environment.configuration;
  }

  @FieldResolver(() => JSONObject, {
    description:
      "The part of the configuration safe in a browser: its `public` object (`{}` when it has none). What a publishable API key reads, as a frontend's build-time settings do.",
  })
  publicConfiguration(@Root() environment: Environment): Record<string, unknown> {
    const { public: shown } = environment.configuration;
    return shown !== null && typeof shown === 'object' && !Array.isArray(shown) ? (shown as Record<string, unknown>) : {};
  }

  @FieldResolver(() => [String], { description: 'What you may do with this environment, as permission names.' })
  viewerPermissions(@Root() environment: Environment, @Ctx() context: OrganizationsContext): Promise<readonly string[]> {
    return viewerPermissions(context, environment.organizationId);
  }

  @claimField("The caller's permissions in the environment's organization, signed for billing and bound to the caller's credential and this environment.")
  viewerPermissionsClaim(@Root() environment: Environment, @Ctx() context: OrganizationsContext): Promise<string | null> {
    return viewerPermissionsClaim(context, { typename: 'Environment', id: environment.id }, environment.organizationId);
  }
}

/** Environments reached from another subgraph: null unless the caller is a member of their organization. */
export async function resolveEnvironmentReference(reference: { id: string }, context: OrganizationsContext): Promise<Environment | null> {
  const environment = await context.loaders.environment.load(reference.id);
  return environment && (await isMember(context, environment.organizationId)) ? environment : null;
}
