// Environments' configuration history and its mutations: update, rollback, promotion and the project's schema.
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionSize, notFound, pageRequest, toConnection, type Connection } from '@orgapi/shared';
import { authorize, authorizeEnvironmentChange, authorizeProjectChange } from '../access';
import { actorOf } from '../audit/actor';
import type { OrganizationsContext } from '../context';
import { Environment } from '../environments/environment.type';
import { Project } from '../projects/project.type';
import { configurationDiff } from './configuration-diff';
import { PromoteConfigurationInput, RollbackConfigurationInput, SetConfigurationSchemaInput, UpdateEnvironmentConfigurationInput } from './configuration.input';
import { ConfigurationDiff, ConfigurationVersion, ConfigurationVersionConnection, MAX_LISTED_CHANGES } from './configuration.type';

@Resolver(() => Environment)
export class EnvironmentConfigurationResolver {
  @FieldResolver(() => ConfigurationVersionConnection, { description: "The configuration's versions, newest first. Needs `projects:read`." })
  @ConnectionSize()
  async configurationVersions(
    @Root() environment: Environment,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<ConfigurationVersion>> {
    await authorize(context, environment.organizationId, 'projects:read', 'Environment');
    const page = pageRequest(args);
    const rows = await context.loaders.configurationVersionsPage(page).load(environment.id);
    return toConnection(rows, page, (version) => version.id, () => context.loaders.configurationVersionCount.load(environment.id));
  }

  @Mutation(() => Environment, {
    description:
      "Replaces an environment's configuration with a new version, made against `expectedVersion` (CONFLICT when another change came first). Needs `environments:write`; the project must not be archived.",
  })
  async updateEnvironmentConfiguration(
    @Arg('input', () => UpdateEnvironmentConfigurationInput, { description: 'The environment, its new configuration and the version it was made from.' })
    input: UpdateEnvironmentConfigurationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Environment> {
    await authorizeEnvironmentChange(context, input.environmentId, 'environments:write');
    return context.configuration.update(actorOf(context), input.environmentId, input);
  }

  @Mutation(() => Environment, { description: "Restores an earlier configuration version's content as a new version. Needs `environments:write`." })
  async rollbackConfiguration(
    @Arg('input', () => RollbackConfigurationInput, { description: 'The environment and the version to restore.' }) input: RollbackConfigurationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Environment> {
    await authorizeEnvironmentChange(context, input.environmentId, 'environments:write');
    return context.configuration.rollback(actorOf(context), input.environmentId, input);
  }
}

@Resolver(() => Project)
export class ProjectConfigurationResolver {
  @FieldResolver(() => ConfigurationDiff, { description: "What promoteConfiguration would change in LIVE: SANDBOX's configuration against LIVE's. Needs `projects:read`." })
  async configurationDiff(@Root() project: Project, @Ctx() context: OrganizationsContext): Promise<ConfigurationDiff> {
    await authorize(context, project.organizationId, 'projects:read', 'Project');
    const environments = await context.loaders.projectEnvironments.load(project.id);
    const sandbox = environments.find((environment) => environment.mode === 'SANDBOX');
    const live = environments.find((environment) => environment.mode === 'LIVE');
    if (!sandbox || !live) throw notFound('Environment');
    const changes = configurationDiff(live.configuration, sandbox.configuration);
    return { sandboxVersion: sandbox.configurationVersion, liveVersion: live.configurationVersion, changes: changes.slice(0, MAX_LISTED_CHANGES), changeCount: changes.length };
  }

  @Mutation(() => Environment, {
    description:
      "Copies SANDBOX's current configuration to LIVE as a new LIVE version, if LIVE is still at `expectedLiveVersion` (see `Project.configurationDiff`). Returns LIVE. Needs `environments:write`.",
  })
  async promoteConfiguration(
    @Arg('input', () => PromoteConfigurationInput, { description: "The project and LIVE's version the promotion was reviewed against." }) input: PromoteConfigurationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Environment> {
    await authorizeProjectChange(context, input.projectId, 'environments:write');
    return context.configuration.promote(actorOf(context), input.projectId, input);
  }

  @Mutation(() => Project, {
    description: "Sets the JSON Schema the project's environments' configurations must follow, or removes it (null). Needs `environments:write`.",
  })
  async setConfigurationSchema(
    @Arg('input', () => SetConfigurationSchemaInput, { description: 'The project and its schema.' }) input: SetConfigurationSchemaInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Project> {
    await authorizeProjectChange(context, input.projectId, 'environments:write');
    return context.configuration.setSchema(actorOf(context), input.projectId, input.schema ?? null);
  }
}
