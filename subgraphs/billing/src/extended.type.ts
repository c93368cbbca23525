// The entities billing extends with credit fields, owned by the organizations subgraph: their key and the claim of the caller's permissions.
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ENVIRONMENT_MODE_DESCRIPTIONS, ENVIRONMENT_MODE_ENUM_DESCRIPTION, ENVIRONMENT_MODES, enumOf, type EnvironmentMode as Mode } from '@orgapi/shared';

/** Organizations' EnvironmentMode enum, declared alike here (same values, same words) for usage by mode. */
export const EnvironmentMode = enumOf('EnvironmentMode', ENVIRONMENT_MODE_ENUM_DESCRIPTION, ENVIRONMENT_MODES, ENVIRONMENT_MODE_DESCRIPTIONS);
export type EnvironmentMode = Mode;

/**
 * What billing knows of an entity it extends. The caller's permissions come from the organizations subgraph
 * (@requires) as a claim organizations signed, bound to the caller's credential and to this entity; billing never
 * reads the organizations tables and takes nothing in a representation on the router's word (access.ts).
 * Its fields are inherited by the three types below; it is not in the schema itself, as no field returns it.
 */
@ObjectType()
abstract class ExtendedEntity {
  @Field(() => ID, { description: 'Opaque ID.' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: "The caller's permissions in the owning organization, signed by the organizations subgraph (not part of the API).",
  })
  @Directive('@external')
  viewerPermissionsClaim?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'An organization, with its credits.' })
@Directive('@key(fields: "id")')
export class Organization extends ExtendedEntity {}

@ObjectType({ simpleResolvers: true, description: 'A project, with the credits it used.' })
@Directive('@key(fields: "id")')
export class Project extends ExtendedEntity {}

@ObjectType({ simpleResolvers: true, description: 'An environment, with the credits it used.' })
@Directive('@key(fields: "id")')
export class Environment extends ExtendedEntity {}

/** The types billing extends, by the name federation gives them in representations. */
export type ExtendedTypeName = 'Organization' | 'Project' | 'Environment';

/** Marks a field whose access check needs the caller's signed permissions, fetched from organizations before billing is called. */
export const requiresViewerPermissions = () => Directive('@requires(fields: "viewerPermissionsClaim")');
