// The inputs of createOrganization, updateOrganization and deleteOrganization; organization.service.ts validates them.
import { Field, ID, InputType } from 'type-graphql';
import { OrganizationSettingsInput } from './settings.type';

@InputType({ description: 'A new organization.' })
export class CreateOrganizationInput {
  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'URL-safe handle; derived from the name when omitted.' })
  slug?: string | null;
}

@InputType({ description: 'Changes to an organization; a field left out or null stays as it is.' })
export class UpdateOrganizationInput {
  @Field(() => ID, { description: 'The organization to change.' })
  organizationId!: string;

  @Field(() => String, { nullable: true, description: 'The new display name.' })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The new slug. The old one keeps leading to the organization for 30 days and no other organization can take it meanwhile.',
  })
  slug?: string | null;

  @Field(() => OrganizationSettingsInput, { nullable: true, description: 'Settings to change; the others keep their values.' })
  settings?: OrganizationSettingsInput | null;
}

@InputType({ description: 'The organization to delete, confirmed by its slug.' })
export class DeleteOrganizationInput {
  @Field(() => ID, { description: 'The organization to delete.' })
  organizationId!: string;

  @Field({ description: 'The organization’s current slug, typed again to confirm.' })
  confirmSlug!: string;
}
