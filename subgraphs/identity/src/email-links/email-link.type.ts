// What asking for an emailed link answers.
import { Field, ObjectType } from 'type-graphql';
import { DateTime } from '@orgapi/shared';

@ObjectType({
  simpleResolvers: true,
  description:
    'An emailed link was asked for. A password reset answers the same whether or not an account has the address, so it does not tell which addresses have accounts.',
})
export class EmailLink {
  @Field({ description: 'The address the link goes to, as understood (trimmed, lower case).' })
  sentTo!: string;

  @Field(() => DateTime, { description: 'When the link stops working. It works once, and asking for another one ends it.' })
  expiresAt!: Date;
}
