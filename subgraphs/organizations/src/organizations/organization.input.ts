// The input of createOrganization; organization.service.ts validates it.
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A new organization.' })
export class CreateOrganizationInput {
  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'URL-safe handle; derived from the name when omitted.' })
  slug?: string | null;
}
