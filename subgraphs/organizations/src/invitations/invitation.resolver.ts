// Invitation fields, Organization.invitations, viewer.pendingInvitations, and inviting, resending, revoking, accepting and declining.
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { badInput, ConnectionArgs, ConnectionSize, forbidden, isId, ListSize, notFound, pageRequest, requireViewer, toConnection, type Connection } from '@orgapi/shared';
import { authorize, authorizeOrganization } from '../access';
import { actorOf } from '../audit/actor';
import type { OrganizationsContext } from '../context';
import { Membership, User } from '../memberships/membership.type';
import { Organization } from '../organizations/organization.type';
import { Role } from '../roles/role.type';
import { AcceptInvitationInput, DeclineInvitationInput, InviteMemberInput, ResendInvitationInput, RevokeInvitationInput } from './invitation.input';
import { PENDING_INVITATIONS_LIST_SIZE } from './invitation.loader';
import { Invitation, InvitationConnection, InvitationPayload, InvitationStatusEnum, type InvitationStatus } from './invitation.type';

// Who sees and changes an organization's invitations: those who may invite. Invitations name people who are not
// members (yet), so members:read, which every role holds, is not enough.
const MANAGES_INVITATIONS = 'members:manage';

@Resolver(() => Invitation)
export class InvitationResolver {
  @FieldResolver(() => Role, { nullable: true, description: 'The custom role the invitee gets when `role` is CUSTOM; null for a built-in role.' })
  customRole(@Root() invitation: Invitation, @Ctx() context: OrganizationsContext): Promise<Role | null> | null {
    return invitation.customRoleId ? context.loaders.role.load(invitation.customRoleId) : null;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: "The member who sent (or last replaced) the invitation; null when the organization's verified domain sent it on its own (enrollmentMode AUTOMATIC_INVITATION).",
  })
  invitedBy(@Root() invitation: Invitation): User | null {
    return invitation.invitedBy ? { id: invitation.invitedBy } : null;
  }

  @FieldResolver(() => Organization, { description: 'The organization the invitation is to; an invitee sees its name and slug.' })
  async organization(@Root() invitation: Invitation, @Ctx() context: OrganizationsContext): Promise<Organization> {
    const organization = await context.loaders.organization.load(invitation.organizationId);
    if (!organization) throw notFound('Organization');
    return organization;
  }

  @Mutation(() => InvitationPayload, {
    description:
      "Invites an email address to join an organization with a built-in role (`role`) or a custom role (`roleId`), and emails them a link that works once, for the organization's `invitationExpiryDays`. A pending invitation to the same address is replaced (its link dies). Needs `members:manage`; inviting an OWNER needs `owners:manage`, and nobody invites with a role holding a permission they lack. Refused for an address outside `allowedEmailDomains` (BAD_USER_INPUT), for a member (CONFLICT), and beyond the pending-invitations or members quota (QUOTA_EXCEEDED).",
  })
  async inviteMember(
    @Arg('input', () => InviteMemberInput, { description: 'Who to invite, where, with which role.' }) input: InviteMemberInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<InvitationPayload> {
    if (input.role != null && input.roleId != null) throw badInput('Pass exactly one of `role` or `roleId`.', 'roleId');
    if (input.role == null && input.roleId == null) throw badInput('Pass the role: `role` for a built-in role, or `roleId` for a custom role.', 'role');
    if (input.role === 'CUSTOM') throw badInput('`role: CUSTOM` names no role: pass the custom role’s ID as `roleId` instead.', 'role');
    await authorizeOrganization(context, input.organizationId, MANAGES_INVITATIONS);
    const principal = requireViewer(context);
    const request = input.role != null ? { role: input.role } : { roleId: input.roleId! };
    return context.invitations.invite(actorOf(context), principal.email, input.organizationId, request, { email: input.email });
  }

  @Mutation(() => InvitationPayload, {
    description:
      'Sends a pending or expired invitation again, with a new link (the previous one stops working) and a new expiry. Needs `members:manage` (`owners:manage` for an OWNER invitation).',
  })
  async resendInvitation(
    @Arg('input', () => ResendInvitationInput, { description: 'The invitation to send again.' }) input: ResendInvitationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<InvitationPayload> {
    await authorizeInvitation(context, input.invitationId);
    return context.invitations.resend(actorOf(context), requireViewer(context).email, input.invitationId);
  }

  @Mutation(() => Invitation, {
    description: 'Revokes a pending or expired invitation: its link stops working at once. Needs `members:manage` (`owners:manage` for an OWNER invitation).',
  })
  async revokeInvitation(
    @Arg('input', () => RevokeInvitationInput, { description: 'The invitation to revoke.' }) input: RevokeInvitationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Invitation> {
    await authorizeInvitation(context, input.invitationId);
    return context.invitations.revoke(actorOf(context), input.invitationId);
  }

  @Mutation(() => Membership, {
    description:
      'Accepts an invitation by the token of its link: you become a member with its role. You must be signed in with the address it was sent to, verified. Refusals say why in `extensions.reason`: `not_found`, `expired`, `revoked`, `already_used`, `email_mismatch`, `email_unverified`, `already_member`; a refusal changes nothing.',
  })
  acceptInvitation(
    @Arg('input', () => AcceptInvitationInput, { description: 'The token from the invitation link.' }) input: AcceptInvitationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Membership> {
    const principal = requireViewer(context);
    return context.invitations.accept(actorOf(context), principal, input);
  }

  @Mutation(() => Invitation, {
    description:
      'Declines an invitation by the token of its link, as its invitee (signed in with the address it was sent to, verified). Refusals carry `extensions.reason` as for acceptInvitation.',
  })
  declineInvitation(
    @Arg('input', () => DeclineInvitationInput, { description: 'The token from the invitation link.' }) input: DeclineInvitationInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<Invitation> {
    const principal = requireViewer(context);
    return context.invitations.decline(actorOf(context), principal, input);
  }
}

@Resolver(() => Organization)
export class OrganizationInvitationsResolver {
  @FieldResolver(() => InvitationConnection, {
    description: 'The invitations sent, oldest first, optionally only those with a status (EXPIRED: pending past their expiry). Needs `members:manage`.',
  })
  @ConnectionSize()
  async invitations(
    @Root() organization: Organization,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('status', () => InvitationStatusEnum, { nullable: true, description: 'Only invitations with this status; all when left out.' }) status: InvitationStatus | null,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<Invitation>> {
    await authorize(context, organization.id, MANAGES_INVITATIONS);
    const page = pageRequest(args);
    const rows = await context.loaders.invitationsPage({ page, status: status ?? null }).load(organization.id);
    return toConnection(rows, page, (i) => i.id, () => context.loaders.invitationCount(status ?? null).load(organization.id));
  }
}

@Resolver(() => User)
export class UserInvitationsResolver {
  @FieldResolver(() => [Invitation], {
    description:
      'Invitations waiting for you: pending and unexpired, to your address, newest first; none until you have verified your address. Only for yourself.',
  })
  @ListSize(PENDING_INVITATIONS_LIST_SIZE)
  async pendingInvitations(@Root() user: User, @Ctx() context: OrganizationsContext): Promise<Invitation[]> {
    const principal = requireViewer(context);
    if (user.id !== principal.userId) throw forbidden('Only you can see the invitations waiting for you.');
    if (!principal.emailVerified || !principal.email) return [];
    return context.loaders.pendingInvitationsTo.load(principal.email.toLowerCase());
  }
}

/** Checks the caller may manage an invitation's organization: NOT_FOUND for another organization's, as for a made-up ID. */
async function authorizeInvitation(context: OrganizationsContext, invitationId: string): Promise<Invitation> {
  requireViewer(context);
  const invitation = isId(invitationId, 'inv') ? await context.loaders.invitation.load(invitationId) : null;
  if (!invitation) throw notFound('Invitation');
  await authorize(context, invitation.organizationId, MANAGES_INVITATIONS, 'Invitation');
  return invitation;
}
