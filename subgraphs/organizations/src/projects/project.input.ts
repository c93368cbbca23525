// The input of createProject; project.service.ts validates it.
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new project.' })
export class CreateProjectInput {
  @Field(() => ID, { description: 'The organization the project belongs to.' })
  organizationId!: string;

  @Field({ description: 'Display name, unique within the organization.' })
  name!: string;
}
