// Membership fields, and the memberships a User has (the organization switcher).
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, notFound, pageRequest, toConnection, viewerId, type Connection } from '@orgapi/shared';
import type { OrganizationsContext } from '../context';
import type { MembershipRecord, OrganizationRecord } from '../records';
import { Membership, MembershipConnection, Organization, User } from '../types';

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => User, { description: 'The member.' })
  user(@Root() membership: MembershipRecord): User {
    return { id: membership.userId };
  }

  @FieldResolver(() => Organization, { description: 'The organization.' })
  async organization(@Root() membership: MembershipRecord, @Ctx() context: OrganizationsContext): Promise<OrganizationRecord> {
    const organization = await context.loaders.organization.load(membership.organizationId);
    if (!organization) throw notFound('Organization');
    return organization;
  }
}

@Resolver(() => User)
export class UserMembershipsResolver {
  @FieldResolver(() => MembershipConnection, {
    description: "The organizations this user belongs to, oldest first. For another user, only organizations you share.",
  })
  async memberships(@Root() user: User, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() context: OrganizationsContext): Promise<Connection<MembershipRecord>> {
    viewerId(context);
    const page = pageRequest(args);
    const rows = await context.loaders.userMembershipsPage(page).load(user.id);
    return toConnection(rows, page, (m) => m.id, () => context.loaders.userMembershipCount.load(user.id));
  }
}

export function resolveUserReference(reference: { id: string }): User {
  return { id: reference.id };
}
