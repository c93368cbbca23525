// The inputs of the configuration mutations; configuration.service.ts validates them.
import { Field, ID, InputType, Int } from 'type-graphql';
import { JSONObject } from '@orgapi/shared';

@InputType({ description: "A new configuration for an environment, made against the version the client last read." })
export class UpdateEnvironmentConfigurationInput {
  @Field(() => ID, { description: 'The environment.' })
  environmentId!: string;

  @Field(() => JSONObject, { description: 'The whole new configuration: a JSON object of at most 64 KiB, 10 levels deep, keys of at most 128 characters, following the project’s configuration schema if it has one.' })
  configuration!: Record<string, unknown>;

  @Field(() => Int, { description: 'The version this change was made from (`Environment.configurationVersion`). If another change came first, the update is refused with CONFLICT and the current version.' })
  expectedVersion!: number;
}

@InputType({ description: 'An earlier version to restore, as a new version.' })
export class RollbackConfigurationInput {
  @Field(() => ID, { description: 'The environment.' })
  environmentId!: string;

  @Field(() => Int, { description: 'The version whose content to restore.' })
  version!: number;

  @Field(() => Int, { nullable: true, description: 'If given, the version the client last read: CONFLICT when it is no longer current.' })
  expectedVersion?: number | null;
}

@InputType({ description: "Copies SANDBOX's configuration to LIVE." })
export class PromoteConfigurationInput {
  @Field(() => ID, { description: 'The project.' })
  projectId!: string;

  @Field(() => Int, { description: "LIVE's version the client reviewed (`Project.configurationDiff.liveVersion`): CONFLICT when LIVE changed since." })
  expectedLiveVersion!: number;
}

@InputType({ description: "A project's configuration schema, or none." })
export class SetConfigurationSchemaInput {
  @Field(() => ID, { description: 'The project.' })
  projectId!: string;

  @Field(() => JSONObject, { nullable: true, description: 'A JSON Schema (at most 64 KiB) every environment’s configuration must follow from now on; null removes it. Refused when a current configuration does not follow it.' })
  schema?: Record<string, unknown> | null;
}
