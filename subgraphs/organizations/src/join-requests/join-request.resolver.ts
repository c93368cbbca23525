// viewer.suggestedOrganizations, Organization.joinRequests, JoinRequest fields, and requestToJoin, approveJoinRequest, declineJoinRequest and cancelJoinRequest.
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { badInput, ConnectionArgs, ConnectionSize, forbidden, isId, ListSize, notFound, pageRequest, requireViewer, toConnection, type Connection } from '@orgapi/shared';
import { authorize } from '../access';
import { actorOf } from '../audit/actor';
import type { OrganizationsContext } from '../context';
import { emailDomainOf } from '../domains/domain-name';
import { User } from '../memberships/membership.type';
import { Organization } from '../organizations/organization.type';
import { ApproveJoinRequestInput, CancelJoinRequestInput, DeclineJoinRequestInput, RequestToJoinInput } from './join-request.input';
import { JoinRequest, JoinRequestConnection, JoinRequestStatusEnum, SuggestedOrganization, type JoinRequestStatus } from './join-request.type';

@Resolver(() => JoinRequest)
export class JoinRequestResolver {
  @FieldResolver(() => User, { description: 'The requester.' })
  user(@Root() request: JoinRequest): User {
    return { id: request.userId };
  }

  @Mutation(() => JoinRequest, {
    description:
      'Asks to join an organization suggested to you (`viewer.suggestedOrganizations`): its admins approve or decline. Any other organization is NOT_FOUND, as one that does not exist. Asking again while a request is pending answers that request.',
  })
  async requestToJoin(@Arg('input', () => RequestToJoinInput, { description: 'The organization.' }) input: RequestToJoinInput, @Ctx() context: OrganizationsContext): Promise<JoinRequest> {
    const principal = requireViewer(context);
    if (!isId(input.organizationId, 'org')) throw notFound('Organization');
    return context.joinRequests.request(actorOf(context), principal, input.organizationId);
  }

  @Mutation(() => JoinRequest, {
    description:
      'Approves a pending join request: the requester becomes a member with `role`, or the organization’s `settings.defaultRole`. Needs `members:manage`; giving OWNER needs `owners:manage`, and nobody gives a role holding a permission they lack. A request no longer pending is a CONFLICT (`extensions.reason`).',
  })
  async approveJoinRequest(
    @Arg('input', () => ApproveJoinRequestInput, { description: 'The request and the role to give.' }) input: ApproveJoinRequestInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<JoinRequest> {
    if (input.role === 'CUSTOM') throw badInput('New members join with a built-in role: give a custom role afterwards (updateMemberRole with `roleId`).', 'role');
    await authorizeJoinRequest(context, input.joinRequestId);
    return context.joinRequests.approve(actorOf(context), input.joinRequestId, input.role ?? null);
  }

  @Mutation(() => JoinRequest, { description: 'Declines a pending join request; the requester may ask again. Needs `members:manage`.' })
  async declineJoinRequest(
    @Arg('input', () => DeclineJoinRequestInput, { description: 'The request.' }) input: DeclineJoinRequestInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<JoinRequest> {
    await authorizeJoinRequest(context, input.joinRequestId);
    return context.joinRequests.decline(actorOf(context), input.joinRequestId);
  }

  @Mutation(() => JoinRequest, { description: 'Withdraws your own pending join request. Anyone else’s is NOT_FOUND.' })
  async cancelJoinRequest(
    @Arg('input', () => CancelJoinRequestInput, { description: 'The request.' }) input: CancelJoinRequestInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<JoinRequest> {
    requireViewer(context);
    if (!isId(input.joinRequestId, 'jrq')) throw notFound('JoinRequest');
    return context.joinRequests.cancel(actorOf(context), input.joinRequestId);
  }
}

/** Checks the caller holds members:manage where a join request was made: NOT_FOUND for another organization's, exactly as for a made-up one. */
async function authorizeJoinRequest(context: OrganizationsContext, joinRequestId: string): Promise<void> {
  requireViewer(context);
  const request = isId(joinRequestId, 'jrq') ? await context.loaders.joinRequest.load(joinRequestId) : null;
  if (!request) throw notFound('JoinRequest');
  await authorize(context, request.organizationId, 'members:manage', 'JoinRequest');
}

@Resolver(() => SuggestedOrganization)
export class SuggestedOrganizationResolver {
  @FieldResolver(() => JoinRequest, { nullable: true, description: 'Your pending request to join it; null when you have none.' })
  viewerJoinRequest(@Root() suggested: SuggestedOrganization, @Ctx() context: OrganizationsContext): Promise<JoinRequest | null> {
    return context.loaders.viewerPendingJoinRequest.load(suggested.id);
  }
}

@Resolver(() => User)
export class UserSuggestionsResolver {
  @FieldResolver(() => [SuggestedOrganization], {
    description:
      'Organizations you may ask to join (requestToJoin): those that verified the domain of your email address and enroll by AUTOMATIC_SUGGESTION, and that you do not belong to. Empty until you verify your address. Only for yourself.',
  })
  @ListSize(1)
  async suggestedOrganizations(@Root() user: User, @Ctx() context: OrganizationsContext): Promise<SuggestedOrganization[]> {
    const principal = requireViewer(context);
    if (user.id !== principal.userId) throw forbidden('Only you can see the organizations suggested to you.');
    const domain = principal.emailVerified ? emailDomainOf(principal.email) : null;
    return domain ? context.loaders.suggestedOrganizations.load(domain) : [];
  }
}

@Resolver(() => Organization)
export class OrganizationJoinRequestsResolver {
  @FieldResolver(() => JoinRequestConnection, { description: 'Requests to join the organization from people at its verified domains, oldest first. Needs `members:manage`.' })
  @ConnectionSize()
  async joinRequests(
    @Root() organization: Organization,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('status', () => JoinRequestStatusEnum, { nullable: true, description: 'Only requests in this state (PENDING for those waiting); all when left out.' }) status: JoinRequestStatus | null,
    @Ctx() context: OrganizationsContext,
  ): Promise<Connection<JoinRequest>> {
    await authorize(context, organization.id, 'members:manage');
    const page = pageRequest(args);
    const rows = await context.loaders.joinRequestsPage({ page, status: status ?? null }).load(organization.id);
    return toConnection(rows, page, (request) => request.id, () => context.loaders.joinRequestCount(status ?? null).load(organization.id));
  }
}
