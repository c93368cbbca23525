// The Membership API type with its role enum and connection, and User as organizations sees it (its memberships).
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, enumOf, ROLES, type Role } from '@orgapi/shared';

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  OWNER: 'Everything, including deleting the organization and managing other owners.',
  ADMIN: 'Everything except deleting the organization and managing owners.',
  BILLING: 'Billing and credits, and reading projects.',
  MEMBER: 'Reads and writes projects and environments; reads members.',
  VIEWER: 'Reads only: no secrets, no billing.',
};

/** The GraphQL enum of the permission matrix's roles, so the API can never name a role the matrix does not know. */
export const MembershipRole = enumOf(
  'MembershipRole',
  'What a member may do in an organization. See `Organization.viewerPermissions` for the exact permissions.',
  ROLES,
  ROLE_DESCRIPTIONS,
);

@ObjectType({ simpleResolvers: true, description: "A user's place in an organization, with the role that sets what they may do." })
export class Membership {
  @Field(() => ID, { description: 'Opaque ID, prefixed `mem_`.' })
  id!: string;

  @Field(() => MembershipRole, { description: 'The role of the member in this organization.' })
  role!: Role;

  @Field(() => DateTime, { description: 'When the user joined the organization.' })
  joinedAt!: Date;

  // Not in the schema: the resolvers follow them to the organization and the user.
  organizationId!: string;
  userId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A user, as seen from organizations: the memberships that connect them to organizations.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID, { description: 'Opaque ID, prefixed `usr_`.' })
  id!: string;

  // Not in the schema: the organization whose membership row this user was reached through, when they were.
  memberOf?: string;
}

export const MembershipConnection = ConnectionType(Membership, 'Membership', 'membership');
