// The input of setActiveOrganization.
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'The organization to switch to.' })
export class SetActiveOrganizationInput {
  @Field(() => ID, { description: 'An organization you belong to.' })
  organizationId!: string;
}
