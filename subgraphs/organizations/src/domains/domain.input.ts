// The inputs of addDomain, verifyDomain and removeDomain (the domain itself is checked by domain-name.ts).
import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { text } from '@orgapi/shared';

@InputType({ description: 'An email domain to claim for an organization.' })
export class AddDomainInput {
  @Field(() => ID, { description: 'The organization claiming the domain.' })
  organizationId!: string;

  @Field({ description: 'The domain, e.g. `example.com` (any case; an internationalized one is stored in its IDNA form).' })
  domain!: string;
}

@InputType({ description: 'A claimed domain whose TXT record should be checked now.' })
export class VerifyDomainInput {
  @Field(() => ID, { description: 'The domain to verify.' })
  domainId!: string;
}

@InputType({ description: 'A domain to give up.' })
export class RemoveDomainInput {
  @Field(() => ID, { description: 'The domain to remove.' })
  domainId!: string;
}

export const addDomainInput = z.object({ domain: text().max(300, 'A domain is at most 253 characters.') });
