// The Organization API type, the entity the other subgraphs extend (@key), and what deleting one answers.
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';
import type { OrganizationSettings } from './settings';

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

  // Not a plain field: the resolver checks organization:read before showing it.
  settings!: OrganizationSettings;
}

@ObjectType({ simpleResolvers: true, description: 'What deleteOrganization did.' })
export class DeleteOrganizationPayload {
  @Field(() => ID, { description: 'The deleted organization, which no longer resolves for anyone.' })
  organizationId!: string;

  @Field(() => DateTime, { description: 'When it was deleted. Its slug stays reserved for 30 days from then.' })
  deletedAt!: Date;
}
