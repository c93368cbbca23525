// Organization queries, fields and mutations.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, ConnectionArgs, ConnectionSize, notFound, pageRequest, toConnection, requireViewer, type Connection } from '@orgapi/shared';
import { authorize, authorizeOrganization, isMember, memberRole, viewerPermissions, viewerPermissionsClaim } from '../access';
import { claimField } from '../claim-field';
import type { OrganizationsContext } from '../context';
import { memberFilter } from '../memberships/member-filter';
import { MemberFilter } from '../memberships/membership.input';
import { Membership, MembershipConnection, MembershipRole } from '../memberships/membership.type';
import type { MemberRole } from '../roles/role-rules';
import { projectFilter } from '../projects/project-filter';
import { ProjectFilterInput } from '../projects/project.input';
import { Project, ProjectConnection } from '../projects/project.type';
import { actorOf } from '../audit/actor';
import { CreateOrganizationInput, DeleteOrganizationInput, UpdateOrganizationInput } from './organization.input';
import { DeleteOrganizationPayload, Organization } from './organization.type';
import type { OrganizationSettings as Settings } from './settings';
import { OrganizationSettings } from './settings.type';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, {
    nullable: true,
    description: 'An organization you belong to, by `id` or by `slug` (pass exactly one). A slug it gave up less than 30 days ago still finds it; the answer carries its current slug.',
  })
  async organization(
    @Arg('id', () => ID, { nullable: true, description: 'The organization ID.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'The organization slug.' }) slug: string | null,
    @Ctx() context: OrganizationsContext,
  ): Promise<Organization> {
    requireViewer(context);
    if ((id == null) === (slug == null)) throw badInput('Pass exactly one of `id` or `slug`.', id == null ? 'id' : 'slug');
    const organization = id != null ? await context.loaders.organization.load(id) : (await context.loaders.organizationBySlug.load(slug as string))?.organization;
    if (!organization) throw notFound('Organization');
    await memberRole(context, organization.id);
    return organization;
  }

  @FieldResolver(() => MembershipRole, { description: 'Your role in this organization; CUSTOM for a custom role (your membership’s `customRole` says which).' })
  viewerRole(@Root() organization: Organization, @Ctx() context: OrganizationsContext): Promise<MemberRole> {
    return memberRole(context, organization.id);
  }

  @FieldResolver(() => [String], { description: 'What you may do here, as permission names (`projects:write` …), to show or hide controls.' })
  viewerPermissions(@Root() organization: Organization, @Ctx() context: OrganizationsContext): Promise<readonly string[]> {
    return viewerPermissions(context, organization.id);
  }

  @claimField("The caller's permissions here, signed for billing and bound to the caller's credential.")
  viewerPermissionsClaim(@Root() organization: Organization, @Ctx() context: OrganizationsContext): Promise<string | null> {
    return viewerPermissionsClaim(context, { typename: 'Organization', id: organization.id }, organization.id);
  }

  @FieldResolver(() => OrganizationSettings, { description: 'How the organization admits and treats new members. Needs `organization:read`.' })
  async settings(@Root() organization: Organization, @Ctx() context: OrganizationsContext): Promise<Settings> {
    await authorize(context, organization.id, 'organization:read');
    return organization.settings;
  }

  @FieldResolver(() => MembershipConnection, { description: 'The members, in the order they joined, optionally filtered by role or by a search of their name or email; `totalCount` counts the matches.' })
  @ConnectionSize()
  async members(
    @Root() organization: Organization,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => MemberFilter, { nullable: true, description: 'Which members to list; all when left out.' }) filterInput: MemberFilter | null,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<Membership>> {
    await authorize(context, organization.id, 'members:read');
    const page = pageRequest(args);
    const filter = await memberFilter(context, organization.id, filterInput);
    const rows = await context.loaders.membersPage({ page, filter }).load(organization.id);
    return toConnection(rows, page, (m) => m.id, () => context.loaders.memberCount(filter).load(organization.id));
  }

  @FieldResolver(() => ProjectConnection, { description: 'The projects, oldest first (a stable order: a page never skips or repeats one). Deleted projects are gone.' })
  @ConnectionSize()
  async projects(
    @Root() organization: Organization,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ProjectFilterInput, { nullable: true, description: 'Which projects to list; all when left out.' }) filterInput: ProjectFilterInput | null,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<Project>> {
    await authorize(context, organization.id, 'projects:read');
    const page = pageRequest(args);
    const filter = projectFilter(filterInput);
    const rows = await context.loaders.projectsPage({ page, filter }).load(organization.id);
    return toConnection(rows, page, (p) => p.id, () => context.loaders.projectCount(filter).load(organization.id));
  }

  @Mutation(() => Organization, { description: 'Creates an organization and makes you its OWNER.' })
  createOrganization(
    @Arg('input', () => CreateOrganizationInput, { description: 'The new organization.' }) input: CreateOrganizationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Organization> {
    return context.organizations.create(actorOf(context), input);
  }

  @Mutation(() => Organization, { description: 'Changes the name, slug or settings of an organization. Needs `organization:update`.' })
  async updateOrganization(
    @Arg('input', () => UpdateOrganizationInput, { description: 'The organization and what to change.' }) input: UpdateOrganizationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Organization> {
    await authorizeOrganization(context, input.organizationId, 'organization:update');
    return context.organizations.update(actorOf(context), input.organizationId, input);
  }

  @Mutation(() => DeleteOrganizationPayload, {
    description:
      'Deletes an organization: at once, for every member, it and its projects and environments no longer exist. Its billing history is kept and its slug stays reserved for 30 days. Needs `organization:delete` (owners).',
  })
  async deleteOrganization(
    @Arg('input', () => DeleteOrganizationInput, { description: 'The organization, and its slug to confirm.' }) input: DeleteOrganizationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<DeleteOrganizationPayload> {
    await authorizeOrganization(context, input.organizationId, 'organization:delete');
    return context.organizations.delete(actorOf(context), input.organizationId, input);
  }
}

/** Organizations reached from another subgraph: null unless the caller is a member. */
export async function resolveOrganizationReference(reference: { id: string }, context: OrganizationsContext): Promise<Organization | null> {
  const organization = await context.loaders.organization.load(reference.id);
  return organization && (await isMember(context, organization.id)) ? organization : null;
}
