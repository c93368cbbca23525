// The User entity as the API shows it.
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';

@ObjectType({ simpleResolvers: true, description: 'A person who can sign in. The same user can belong to many organizations.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'Opaque ID, prefixed `usr_`.' })
  id!: string;

  @Field({ description: 'The email address the user signs in with, in lower case.' })
  email!: string;

  @Field({ description: 'The name the user goes by.' })
  name!: string;

  @Field({ description: 'True once the user has proven they read mail at `email`, by a link from `requestEmailVerification` (sent at sign-up) or a password reset.' })
  emailVerified!: boolean;

  @Field(() => DateTime, { nullable: true, description: 'When `email` was verified; null while it is not.' })
  emailVerifiedAt!: Date | null;

  @Field(() => DateTime, { description: 'When the account was created.' })
  createdAt!: Date;
}
