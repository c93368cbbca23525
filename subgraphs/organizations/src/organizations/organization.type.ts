// The Organization API type: the entity the other subgraphs extend (@key).
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';

@ObjectType({ simpleResolvers: true, description: 'An independent workspace (a client, a company, a team) with its own projects, members and billing.' })
@Directive('@key(fields: "id")')
export class Organization {
  @Field(() => ID, { description: 'Opaque ID, prefixed `org_`.' })
  id!: string;

  @Field({ description: 'Unique, URL-safe handle, e.g. `acme`.' })
  slug!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => DateTime, { description: 'When the organization was created.' })
  createdAt!: Date;
}
