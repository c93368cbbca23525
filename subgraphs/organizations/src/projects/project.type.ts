// The Project API type, its connection and the payload of deleteProject.
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, JSONObject } from '@orgapi/shared';

@ObjectType({ simpleResolvers: true, description: 'A project: the configuration of one integration, with a SANDBOX and a LIVE environment.' })
@Directive('@key(fields: "id")')
export class Project {
  @Field(() => ID, { description: 'Opaque ID, prefixed `prj_`.' })
  id!: string;

  @Field({ description: 'Display name, unique within the organization among projects not deleted.' })
  name!: string;

  @Field({ description: 'What the project is for, at most 1,000 characters; empty when none was given.' })
  description!: string;

  @Field({ description: 'True once archived: read-only until restored (`restoreProject`).' })
  archived!: boolean;

  @Field(() => DateTime, { nullable: true, description: 'When the project was archived; null when it is not.' })
  archivedAt!: Date | null;

  @Field(() => JSONObject, { nullable: true, description: "The JSON Schema every environment's configuration follows (`setConfigurationSchema`); null when there is none." })
  configurationSchema!: Record<string, unknown> | null;

  @Field(() => DateTime, { description: 'When the project was created.' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'When the project was last changed (renamed, described, archived or restored).' })
  updatedAt!: Date;

  // Not in the schema: access is checked against this organization.
  organizationId!: string;
}

export const ProjectConnection = ConnectionType(Project, 'Project', 'project');

@ObjectType({ description: 'What deleteProject did.' })
export class DeleteProjectPayload {
  @Field(() => ID, { description: 'The deleted project, which no longer resolves for anyone; its usage history stays in billing.' })
  projectId!: string;

  @Field(() => DateTime, { description: 'When it was deleted. Its name is free again from then.' })
  deletedAt!: Date;
}
