// The Membership API type with its role enum and connection, and User as organizations sees it (its memberships).
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, enumOf, type Permission } from '@orgapi/shared';
import { BUILT_IN_ROLE_DESCRIPTIONS, MEMBER_ROLES, type MemberRole } from '../roles/role-rules';

/** The GraphQL enum of the permission matrix's roles and CUSTOM, so the API can never name a role the matrix does not know. */
export const MembershipRole = enumOf(
  'MembershipRole',
  'What a member may do in an organization: a built-in role, or CUSTOM for a custom role of the organization. See `Organization.viewerPermissions` for the exact permissions.',
  MEMBER_ROLES,
  { ...BUILT_IN_ROLE_DESCRIPTIONS, CUSTOM: 'A custom role of the organization: see `customRole`.' },
);

@ObjectType({ simpleResolvers: true, description: "A user's place in an organization, with the role that sets what they may do." })
export class Membership {
  @Field(() => ID, { description: 'Opaque ID, prefixed `mem_`.' })
  id!: string;

  @Field(() => MembershipRole, { description: 'The role of the member in this organization; CUSTOM for a custom role (see `customRole`).' })
  role!: MemberRole;

  @Field(() => [String], { description: 'What the member may do here, as permission names: their built-in role’s or their custom role’s.' })
  permissions!: readonly Permission[];

  @Field(() => DateTime, { description: 'When the user joined the organization.' })
  joinedAt!: Date;

  // Not in the schema: the resolvers follow them to the organization and the user.
  organizationId!: string;
  userId!: string;
  /** The custom role held, when `role` is CUSTOM. */
  customRoleId!: string | null;
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
