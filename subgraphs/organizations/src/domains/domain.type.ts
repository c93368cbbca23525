// The Domain API type (an email domain an organization claims and proves), its DNS challenge, and what removeDomain answers.
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime, enumOf } from '@orgapi/shared';

export const DOMAIN_STATUSES = ['PENDING', 'VERIFIED'] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

export const DomainStatusEnum = enumOf('DomainStatus', 'Whether an organization has proven it controls a domain.', DOMAIN_STATUSES, {
  PENDING: 'Claimed, not yet proven: create the TXT record of `verificationRecord`, then call verifyDomain.',
  VERIFIED: 'Proven by its TXT record: no other organization can claim it while this one holds it.',
});

@ObjectType({ simpleResolvers: true, description: 'The DNS TXT record that proves an organization controls a domain.' })
export class VerificationRecord {
  @Field({ description: 'The DNS name to create the TXT record at, e.g. `_orgapi-challenge.example.com`.' })
  name!: string;

  @Field({ description: 'The TXT record’s exact value, e.g. `orgapi-verification=…`.' })
  value!: string;
}

@ObjectType({ simpleResolvers: true, description: 'An email domain an organization claims: once verified, people with an address there can find and join it (see `OrganizationSettings.enrollmentMode`).' })
export class Domain {
  @Field(() => ID, { description: 'Opaque ID, prefixed `dom_`.' })
  id!: string;

  @Field({ description: 'The domain, lower-case ASCII (an internationalized one in its IDNA form, `xn--…`).' })
  domain!: string;

  @Field(() => DomainStatusEnum, { description: 'PENDING until its TXT record is found by verifyDomain, then VERIFIED.' })
  status!: DomainStatus;

  @Field(() => DateTime, { description: 'When the domain was claimed.' })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When the domain was verified; null while pending.' })
  verifiedAt!: Date | null;

  // Not plain fields: the organization, and the token of the challenge, shown only to those who may verify it.
  organizationId!: string;
  verificationToken!: string;
}

@ObjectType({ simpleResolvers: true, description: 'What removeDomain did.' })
export class RemoveDomainPayload {
  @Field(() => ID, { description: 'The removed domain, which no longer resolves.' })
  domainId!: string;

  @Field(() => ID, { description: 'The organization it belonged to.' })
  organizationId!: string;
}
