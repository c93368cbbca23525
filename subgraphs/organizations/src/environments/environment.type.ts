// The Environment API type and the EnvironmentMode enum, derived from the shared list of modes.
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime, ENVIRONMENT_MODE_DESCRIPTIONS, ENVIRONMENT_MODE_ENUM_DESCRIPTION, ENVIRONMENT_MODES, enumOf, type EnvironmentMode as Mode } from '@orgapi/shared';

/** The GraphQL enum of the shared ENVIRONMENT_MODES; as a type, the shared EnvironmentMode itself. */
export const EnvironmentMode = enumOf('EnvironmentMode', ENVIRONMENT_MODE_ENUM_DESCRIPTION, ENVIRONMENT_MODES, ENVIRONMENT_MODE_DESCRIPTIONS);
export type EnvironmentMode = Mode;

@ObjectType({ simpleResolvers: true, description: 'One mode (SANDBOX or LIVE) of a project, with its own public ID, configuration and API keys.' })
@Directive('@key(fields: "id")')
export class Environment {
  @Field(() => ID, { description: 'The public environment ID, prefixed `env_`.' })
  id!: string;

  @Field(() => EnvironmentMode, { description: 'SANDBOX or LIVE.' })
  mode!: EnvironmentMode;

  // In the schema through EnvironmentResolver.configuration, which refuses publishable API keys.
  configuration!: Record<string, unknown>;

  @Field(() => Int, { description: 'The number of the current configuration version: pass it as `expectedVersion` when changing the configuration.' })
  configurationVersion!: number;

  @Field(() => DateTime, { description: 'When the environment was created.' })
  createdAt!: Date;

  // Not in the schema: access is checked against the organization, and `project` follows projectId.
  organizationId!: string;
  projectId!: string;
}
