// Organization.domains, Domain.verificationRecord, and addDomain, verifyDomain and removeDomain.
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { isId, ListSize, notFound, requireViewer } from '@orgapi/shared';
import { authorize, authorizeOrganization } from '../access';
import { actorOf } from '../audit/actor';
import type { OrganizationsContext } from '../context';
import { Organization } from '../organizations/organization.type';
import { AddDomainInput, RemoveDomainInput, VerifyDomainInput } from './domain.input';
import { challengeName, challengeValue } from './domain-name';
import { MANAGES_DOMAINS } from './domain.service';
import { Domain, RemoveDomainPayload, VerificationRecord } from './domain.type';

// An organization's domains quota, by default.
const DOMAINS_LIST_SIZE = 20;

@Resolver(() => Domain)
export class DomainResolver {
  @FieldResolver(() => VerificationRecord, {
    nullable: true,
    description: 'The TXT record to create in DNS to prove control of the domain (kept for reference once verified). Needs `organization:update`.',
  })
  async verificationRecord(@Root() domain: Domain, @Ctx() context: OrganizationsContext): Promise<VerificationRecord> {
    await authorize(context, domain.organizationId, MANAGES_DOMAINS, 'Domain');
    return { name: challengeName(domain.domain), value: challengeValue(domain.verificationToken) };
  }

  @Mutation(() => Domain, {
    description:
      'Claims an email domain for an organization: it stays PENDING until verifyDomain finds its TXT record (`verificationRecord`). Needs `organization:update`. IP addresses, public suffixes (`co.uk`) and free mail providers (`gmail.com`) are refused (BAD_USER_INPUT with `extensions.reason`); a domain another organization verified is a CONFLICT. At most 20 per organization (QUOTA_EXCEEDED).',
  })
  async addDomain(@Arg('input', () => AddDomainInput, { description: 'The organization and the domain.' }) input: AddDomainInput, @Ctx() context: OrganizationsContext): Promise<Domain> {
    await authorizeOrganization(context, input.organizationId, MANAGES_DOMAINS);
    return context.domains.add(actorOf(context), input.organizationId, input);
  }

  @Mutation(() => Domain, {
    description:
      "Looks up the domain's TXT record now and, when it holds `verificationRecord.value`, marks the domain VERIFIED. Otherwise nothing changes and the CONFLICT's `extensions.reason` says why: `record_not_found`, `record_mismatch`, `lookup_failed` (DNS did not answer), or `verified_elsewhere` (another organization verified it first). Needs `organization:update`.",
  })
  async verifyDomain(@Arg('input', () => VerifyDomainInput, { description: 'The domain to verify.' }) input: VerifyDomainInput, @Ctx() context: OrganizationsContext): Promise<Domain> {
    await authorizeDomain(context, input.domainId);
    return context.domains.verify(actorOf(context), input.domainId);
  }

  @Mutation(() => RemoveDomainPayload, {
    description: 'Gives up a domain, pending or verified: people with an address there no longer find the organization through it. Needs `organization:update`.',
  })
  async removeDomain(
    @Arg('input', () => RemoveDomainInput, { description: 'The domain to remove.' }) input: RemoveDomainInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<RemoveDomainPayload> {
    await authorizeDomain(context, input.domainId);
    const domain = await context.domains.remove(actorOf(context), input.domainId);
    return { domainId: domain.id, organizationId: domain.organizationId };
  }
}

/** Checks the caller manages domains where this one lives: NOT_FOUND for another organization's domain, exactly as for a made-up one. */
async function authorizeDomain(context: OrganizationsContext, domainId: string): Promise<void> {
  requireViewer(context);
  const domain = isId(domainId, 'dom') ? await context.loaders.domain.load(domainId) : null;
  if (!domain) throw notFound('Domain');
  await authorize(context, domain.organizationId, MANAGES_DOMAINS, 'Domain');
}

@Resolver(() => Organization)
export class OrganizationDomainsResolver {
  @FieldResolver(() => [Domain], { description: "The email domains the organization claimed, pending and verified, oldest first. Needs `organization:read`; each one's `verificationRecord` needs `organization:update`." })
  @ListSize(DOMAINS_LIST_SIZE)
  async domains(@Root() organization: Organization, @Ctx() context: OrganizationsContext): Promise<Domain[]> {
    await authorize(context, organization.id, 'organization:read');
    return context.loaders.domains.load(organization.id);
  }
}
