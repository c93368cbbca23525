// The entities billing extends with credit fields, owned by the organizations subgraph: their key and the caller's permissions.
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * What billing knows of an entity it extends. The caller's permissions come from the organizations subgraph
 * (@requires), through the gateway: billing never reads the organizations tables, and only the gateway can call billing.
 * Its fields are inherited by the three types below; it is not in the schema itself, as no field returns it.
 */
@ObjectType()
abstract class ExtendedEntity {
  @Field(() => ID, { description: 'Opaque ID.' })
  id!: string;

  @Field(() => [String], { description: "The caller's permissions in the owning organization (resolved by the organizations subgraph)." })
  @Directive('@external')
  viewerPermissions?: string[];
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

/** Marks a field whose access check needs the caller's permissions, fetched by the gateway before billing is called. */
export const requiresViewerPermissions = () => Directive('@requires(fields: "viewerPermissions")');
