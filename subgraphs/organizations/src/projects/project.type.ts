// The Project API type and its connection.
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime } from '@orgapi/shared';

@ObjectType({ simpleResolvers: true, description: 'A project: the configuration of one integration, with a SANDBOX and a LIVE environment.' })
@Directive('@key(fields: "id")')
export class Project {
  @Field(() => ID, { description: 'Opaque ID, prefixed `prj_`.' })
  id!: string;

  @Field({ description: 'Display name, unique within the organization.' })
  name!: string;

  @Field(() => DateTime, { description: 'When the project was created.' })
  createdAt!: Date;

  // Not in the schema: access is checked against this organization.
  organizationId!: string;
}

export const ProjectConnection = ConnectionType(Project, 'Project', 'project');
