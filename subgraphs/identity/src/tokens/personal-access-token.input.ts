// What creating a personal access token takes, and the rules it is checked against.
import { ArgsType, Field } from 'type-graphql';
import { z } from 'zod';
import { DateTime, displayName } from '@orgapi/shared';

// Two plain arguments rather than one `input`, in this order: the public schema has them so, and clients rely on it.
@ArgsType()
export class CreatePersonalAccessTokenArgs {
  @Field(() => DateTime, { nullable: true, description: 'When the token stops working; omit for never.' })
  expiresAt!: Date | null;

  @Field({ description: 'What the token is for, e.g. "CI deploys".' })
  name!: string;
}

export const createPersonalAccessTokenInput = z.object({
  name: displayName(),
  expiresAt: z
    .date()
    .nullish()
    .refine((date) => !date || date.getTime() > Date.now(), '`expiresAt` must be in the future.'),
});
