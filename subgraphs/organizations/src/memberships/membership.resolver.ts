// Membership fields, and the memberships a User has (the organization switcher).
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionSize, forbidden, notFound, pageRequest, toConnection, requireViewer, type Connection } from '@orgapi/shared';
import { authorizeMember, memberClaim } from '../access';
import { claimField } from '../claim-field';
import type { OrganizationsContext } from '../context';
import { Organization } from '../organizations/organization.type';
import { SetActiveOrganizationInput } from './membership.input';
import { Membership, MembershipConnection, User } from './membership.type';

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => User, { description: 'The member.' })
  user(@Root() membership: Membership): User {
    return { id: membership.userId, memberOf: membership.organizationId };
  }

  @FieldResolver(() => Organization, { description: 'The organization.' })
  async organization(@Root() membership: Membership, @Ctx() context: OrganizationsContext): Promise<Organization> {
    const organization = await context.loaders.organization.load(membership.organizationId);
    if (!organization) throw notFound('Organization');
    return organization;
  }
}

@Resolver(() => User)
export class UserMembershipsResolver {
  @FieldResolver(() => Organization, {
    nullable: true,
    description:
      'The organization you work in: the one you last switched to (setActiveOrganization) while still a member of it, else the one you joined first; null when you belong to none. Only for yourself.',
  })
  async activeOrganization(@Root() user: User, @Ctx() context: OrganizationsContext): Promise<Organization | null> {
    if (user.id !== requireViewer(context).userId) throw forbidden('Only you can see your active organization.');
    const active = await context.loaders.activeOrganizationId.load(user.id);
    return active && context.loaders.organization.load(active.organizationId);
  }

  // Shareable: identity provides it too, where the user is the caller (who needs no claim).
  @claimField("Signed for identity: the caller may see this user's account, a member of an organization both belong to.", '@shareable')
  viewerPermissionsClaim(@Root() user: User, @Ctx() context: OrganizationsContext): Promise<string | null> {
    return memberClaim(context, user);
  }

  @Mutation(() => User, { description: 'Switches the organization you work in; the choice is kept across sessions and devices.' })
  async setActiveOrganization(
    @Arg('input', () => SetActiveOrganizationInput, { description: 'The organization to switch to.' }) input: SetActiveOrganizationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<User> {
    const userId = requireViewer(context).userId;
    await authorizeMember(context, input.organizationId);
    await context.memberships.setActive(userId, input.organizationId);
    return { id: userId };
  }

  @FieldResolver(() => MembershipConnection, {
    description: "The organizations this user belongs to, oldest first. For another user, only organizations you share.",
  })
  @ConnectionSize()
  async memberships(@Root() user: User, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() context: OrganizationsContext): Promise<Connection<Membership>> {
    requireViewer(context);
    const page = pageRequest(args);
    const rows = await context.loaders.userMembershipsPage(page).load(user.id);
    return toConnection(rows, page, (m) => m.id, () => context.loaders.userMembershipCount.load(user.id));
  }
}

/** Users handed over by another subgraph: only their ID is taken from the representation. */
export function resolveUserReference(reference: { id: string }): User {
  return { id: reference.id };
}
