// Organization queries, fields and mutations.
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, ConnectionArgs, notFound, pageRequest, toConnection, requireViewer, type Connection } from '@orgapi/shared';
import { authorize, isMember, memberRole, viewerPermissions } from '../access';
import type { OrganizationsContext } from '../context';
import type { MembershipRecord, OrganizationRecord, ProjectRecord } from '../records';
import { MembershipConnection, MembershipRole, Organization, ProjectConnection } from '../types';

@InputType({ description: 'A new organization.' })
export class CreateOrganizationInput {
  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'URL-safe handle; derived from the name when omitted.' })
  slug?: string | null;
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { nullable: true, description: 'An organization you belong to, by `id` or by `slug` (pass exactly one).' })
  async organization(
    @Arg('id', () => ID, { nullable: true, description: 'The organization ID.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'The organization slug.' }) slug: string | null,
    @Ctx() context: OrganizationsContext,
  ): Promise<OrganizationRecord> {
    requireViewer(context);
    if ((id == null) === (slug == null)) throw badInput('Pass exactly one of `id` or `slug`.', id == null ? 'id' : 'slug');
    const organization = id != null ? await context.loaders.organization.load(id) : await context.loaders.organizationBySlug.load(slug as string);
    if (!organization) throw notFound('Organization');
    await memberRole(context, organization.id);
    return organization;
  }

  @FieldResolver(() => MembershipRole, { description: 'Your role in this organization.' })
  viewerRole(@Root() organization: OrganizationRecord, @Ctx() context: OrganizationsContext): Promise<MembershipRole> {
    return memberRole(context, organization.id) as Promise<MembershipRole>;
  }

  @FieldResolver(() => [String], { description: 'What you may do here, as permission names (`projects:write` …), to show or hide controls.' })
  viewerPermissions(@Root() organization: OrganizationRecord, @Ctx() context: OrganizationsContext): Promise<readonly string[]> {
    return viewerPermissions(context, organization.id);
  }

  @FieldResolver(() => MembershipConnection, { description: 'The members, in the order they joined.' })
  async members(
    @Root() organization: OrganizationRecord,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<MembershipRecord>> {
    await authorize(context, organization.id, 'members:read');
    const page = pageRequest(args);
    const rows = await context.loaders.membersPage(page).load(organization.id);
    return toConnection(rows, page, (m) => m.id, () => context.loaders.memberCount.load(organization.id));
  }

  @FieldResolver(() => ProjectConnection, { description: 'The projects, oldest first.' })
  async projects(
    @Root() organization: OrganizationRecord,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<ProjectRecord>> {
    await authorize(context, organization.id, 'projects:read');
    const page = pageRequest(args);
    const rows = await context.loaders.projectsPage(page).load(organization.id);
    return toConnection(rows, page, (p) => p.id, () => context.loaders.projectCount.load(organization.id));
  }

  @Mutation(() => Organization, { description: 'Creates an organization and makes you its OWNER.' })
  createOrganization(
    @Arg('input', () => CreateOrganizationInput, { description: 'The new organization.' }) input: CreateOrganizationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<OrganizationRecord> {
    return context.organizations.create(requireViewer(context).userId, input);
  }
}

/** Organizations reached from another subgraph: null unless the caller is a member. */
export async function resolveOrganizationReference(reference: { id: string }, context: OrganizationsContext): Promise<OrganizationRecord | null> {
  const organization = await context.loaders.organization.load(reference.id);
  return organization && (await isMember(context, organization.id)) ? organization : null;
}
