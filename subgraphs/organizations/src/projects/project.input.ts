// The inputs of the project mutations and of Organization.projects' filter; project.service.ts validates them.
import { Field, ID, InputType } from 'type-graphql';

/** The longest description a project may have. */
export const MAX_PROJECT_DESCRIPTION_LENGTH = 1_000;
/** The longest search Organization.projects takes: more than any name one would type. */
export const MAX_PROJECT_SEARCH_LENGTH = 100;

@InputType({ description: 'A new project.' })
export class CreateProjectInput {
  @Field(() => ID, { description: 'The organization the project belongs to.' })
  organizationId!: string;

  @Field({ description: 'Display name, unique within the organization.' })
  name!: string;

  @Field(() => String, { nullable: true, description: `What the project is for, at most ${MAX_PROJECT_DESCRIPTION_LENGTH.toLocaleString('en-US')} characters.` })
  description?: string | null;
}

@InputType({ description: 'Changes to a project; a field left out or null stays as it is.' })
export class UpdateProjectInput {
  @Field(() => ID, { description: 'The project to change.' })
  projectId!: string;

  @Field(() => String, { nullable: true, description: 'The new display name, unique within the organization.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: `The new description, at most ${MAX_PROJECT_DESCRIPTION_LENGTH.toLocaleString('en-US')} characters; empty removes it.` })
  description?: string | null;
}

@InputType({ description: 'The project to archive or restore.' })
export class ProjectInput {
  @Field(() => ID, { description: 'The project.' })
  projectId!: string;
}

@InputType({ description: 'The project to delete, confirmed by its name.' })
export class DeleteProjectInput {
  @Field(() => ID, { description: 'The project to delete.' })
  projectId!: string;

  @Field({ description: "The project's current name, typed again, exactly." })
  confirmName!: string;
}

@InputType({ description: 'Which projects to list; all of them when left out.' })
export class ProjectFilterInput {
  @Field(() => Boolean, { nullable: true, description: 'true: only archived projects; false: only projects in use; left out: both.' })
  archived?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: `Projects whose name or description contains this text, ignoring case (\`%\` and \`_\` are plain characters). Trimmed; empty lists every project; at most ${MAX_PROJECT_SEARCH_LENGTH} characters.`,
  })
  search?: string | null;
}
