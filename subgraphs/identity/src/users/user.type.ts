// The User entity as the API shows it, and the claim its fields depend on when another subgraph hands a user over.
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';

/**
 * Marks a field of User that identity answers only to the user themself or to a caller organizations vouches for:
 * reached from another subgraph, the user's representation carries organizations' signed claim (access.ts, canSee).
 */
export const requiresViewerClaim = () => Directive('@requires(fields: "viewerPermissionsClaim")');

/**
 * On fields where identity returns the caller's own user (viewer, the sign-in payloads), no claim is needed: identity
 * provides the field itself, so the query plan does not go to organizations and back for it.
 */
export const providesViewerClaim = () => Directive('@provides(fields: "viewerPermissionsClaim")');

@ObjectType({ simpleResolvers: true, description: 'A person who can sign in. The same user can belong to many organizations.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'Opaque ID, prefixed `usr_`.' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Signed by the organizations subgraph: the caller may see this user, a member of an organization both belong to. Not part of the API.',
  })
  @Directive('@external')
  viewerPermissionsClaim?: string | null;

  @Field({ description: 'The email address the user signs in with, in lower case.' })
  @requiresViewerClaim()
  email!: string;

  @Field({ description: 'The name the user goes by.' })
  @requiresViewerClaim()
  name!: string;

  @Field({ description: 'True once the user has proven they read mail at `email`, by a link from `requestEmailVerification` (sent at sign-up) or a password reset.' })
  @requiresViewerClaim()
  emailVerified!: boolean;

  @Field(() => DateTime, { nullable: true, description: 'When `email` was verified; null while it is not.' })
  @requiresViewerClaim()
  emailVerifiedAt!: Date | null;

  @Field(() => DateTime, { description: 'When the account was created.' })
  @requiresViewerClaim()
  createdAt!: Date;
}
