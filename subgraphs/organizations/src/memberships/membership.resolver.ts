// Membership fields, and the memberships a User has (the organization switcher).
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { badInput, ConnectionArgs, ConnectionSize, forbidden, isId, notFound, pageRequest, toConnection, requireViewer, type Connection } from '@orgapi/shared';
import { authorize, authorizeMember, authorizeOrganization, memberClaim } from '../access';
import { actorOf } from '../audit/actor';
import { claimField } from '../claim-field';
import type { OrganizationsContext } from '../context';
import { Organization } from '../organizations/organization.type';
import { Role } from '../roles/role.type';
import { LeaveOrganizationInput, RemoveMemberInput, SetActiveOrganizationInput, TransferOwnershipInput, UpdateMemberRoleInput } from './membership.input';
import { Membership, MembershipConnection, User } from './membership.type';

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => User, { description: 'The member.' })
  user(@Root() membership: Membership): User {
    return { id: membership.userId, memberOf: membership.organizationId };
  }

  @FieldResolver(() => Role, { nullable: true, description: 'The custom role the member holds when `role` is CUSTOM; null for a built-in role.' })
  customRole(@Root() membership: Membership, @Ctx() context: OrganizationsContext): Promise<Role | null> | null {
    return membership.customRoleId ? context.loaders.role.load(membership.customRoleId) : null;
  }

  @FieldResolver(() => Organization, { description: 'The organization.' })
  async organization(@Root() membership: Membership, @Ctx() context: OrganizationsContext): Promise<Organization> {
    const organization = await context.loaders.organization.load(membership.organizationId);
    if (!organization) throw notFound('Organization');
    return organization;
  }
}

@Resolver(() => Membership)
export class MembershipChangesResolver {
  @Mutation(() => Membership, {
    description:
      "Changes a member's role, to a built-in role (`role`) or a custom role (`roleId`). Needs `members:manage`; making, demoting or changing an owner needs `owners:manage`, and nobody gives a role holding a permission they lack. The last owner can't be demoted (CONFLICT).",
  })
  async updateMemberRole(
    @Arg('input', () => UpdateMemberRoleInput, { description: 'The membership and its new role.' }) input: UpdateMemberRoleInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Membership> {
    if (input.role != null && input.roleId != null) throw badInput('Pass exactly one of `role` or `roleId`.', 'roleId');
    if (input.role == null && input.roleId == null) throw badInput('Pass the new role: `role` for a built-in role, or `roleId` for a custom role.', 'role');
    if (input.role === 'CUSTOM') throw badInput('`role: CUSTOM` names no role: pass the custom role’s ID as `roleId` instead.', 'role');
    await authorizeMembership(context, input.membershipId);
    return context.memberships.updateRole(actorOf(context), input.membershipId, input.role != null ? { role: input.role } : { roleId: input.roleId! });
  }

  @Mutation(() => Membership, {
    description:
      'Removes a member: they lose the organization and its projects on their next request, at every service. Needs `members:manage` (`owners:manage` for an owner); the last owner cannot be removed (CONFLICT). Returns the ended membership.',
  })
  async removeMember(
    @Arg('input', () => RemoveMemberInput, { description: 'The membership to end.' }) input: RemoveMemberInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Membership> {
    await authorizeMembership(context, input.membershipId);
    return context.memberships.end(actorOf(context), input.membershipId, 'member.removed');
  }

  @Mutation(() => Membership, {
    description: 'Leaves an organization you belong to. The last owner cannot leave (CONFLICT): make another member an owner first. Returns the ended membership.',
  })
  async leaveOrganization(
    @Arg('input', () => LeaveOrganizationInput, { description: 'The organization to leave.' }) input: LeaveOrganizationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Membership> {
    await authorizeMember(context, input.organizationId);
    const own = await context.loaders.viewerMembership.load(input.organizationId);
    if (!own) throw notFound('Organization');
    return context.memberships.end(actorOf(context), own.id, 'member.left');
  }
}

@Resolver(() => Membership)
export class OwnershipResolver {
  @Mutation(() => Membership, {
    description:
      'Makes another member an OWNER and you, an owner, `previousOwnerRole` (ADMIN unless told otherwise). Needs `owners:manage`. Returns the new owner’s membership.',
  })
  async transferOwnership(
    @Arg('input', () => TransferOwnershipInput, { description: 'The organization, the new owner and what you become.' }) input: TransferOwnershipInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Membership> {
    const previousOwnerRole = input.previousOwnerRole ?? undefined;
    if (previousOwnerRole === 'CUSTOM') throw badInput('You become a built-in role after a transfer: choose ADMIN, OWNER or a lesser built-in role.', 'previousOwnerRole');
    await authorizeOrganization(context, input.organizationId, 'owners:manage');
    if (!isId(input.toMembershipId, 'mem')) throw notFound('Membership');
    return context.memberships.transferOwnership(actorOf(context), input.organizationId, input.toMembershipId, previousOwnerRole);
  }
}

/** The caller's role in the organization of a membership they may manage: NOT_FOUND for outsiders, as for unknown IDs. */
async function authorizeMembership(context: OrganizationsContext, membershipId: string) {
  requireViewer(context);
  const membership = isId(membershipId, 'mem') ? await context.loaders.membership.load(membershipId) : null;
  if (!membership) throw notFound('Membership');
  return authorize(context, membership.organizationId, 'members:manage', 'Membership');
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
