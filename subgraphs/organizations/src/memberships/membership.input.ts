// The inputs of the membership mutations: switching organization, changing a role, removing a member, leaving.
import { Field, ID, InputType } from 'type-graphql';
import type { MemberRole } from '../roles/role-rules';
import { MembershipRole } from './membership.type';

@InputType({ description: 'The organization to switch to.' })
export class SetActiveOrganizationInput {
  @Field(() => ID, { description: 'An organization you belong to.' })
  organizationId!: string;
}

@InputType({ description: "A member's new role: pass exactly one of `role` (a built-in role) or `roleId` (a built-in or custom role)." })
export class UpdateMemberRoleInput {
  @Field(() => ID, { description: 'The membership to change (`Membership.id`).' })
  membershipId!: string;

  @Field(() => MembershipRole, {
    nullable: true,
    description: 'The new built-in role (not CUSTOM: pass `roleId` for a custom role). Making, demoting or changing an OWNER needs `owners:manage`.',
  })
  role?: MemberRole | null;

  @Field(() => ID, { nullable: true, description: 'The new role by `Role.id`: a custom role of the organization, or a built-in role (`role_admin` …).' })
  roleId?: string | null;
}

@InputType({ description: 'The member to remove.' })
export class RemoveMemberInput {
  @Field(() => ID, { description: 'The membership to end (`Membership.id`).' })
  membershipId!: string;
}

@InputType({ description: 'The organization to leave.' })
export class LeaveOrganizationInput {
  @Field(() => ID, { description: 'An organization you belong to.' })
  organizationId!: string;
}

@InputType({ description: 'Who takes over as owner, and what the previous owner becomes.' })
export class TransferOwnershipInput {
  @Field(() => ID, { description: 'The organization.' })
  organizationId!: string;

  @Field(() => ID, { description: 'The membership of the member who becomes an OWNER (`Membership.id`).' })
  toMembershipId!: string;

  @Field(() => MembershipRole, { nullable: true, description: 'What you become: ADMIN unless told otherwise (OWNER keeps you an owner too); a built-in role, not CUSTOM.' })
  previousOwnerRole?: MemberRole | null;
}

export const MAX_MEMBER_SEARCH_LENGTH = 100;

@InputType({ description: 'Which members to list; conditions given together must all hold.' })
export class MemberFilter {
  @Field(() => MembershipRole, { nullable: true, description: 'Members with this built-in role; CUSTOM: members with any custom role.' })
  role?: MemberRole | null;

  @Field(() => ID, { nullable: true, description: 'Members holding this role (`Role.id`), built-in or custom.' })
  roleId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Members whose name or email contains this text, ignoring case (\`%\` and \`_\` are plain characters). Trimmed; empty lists everyone; at most ${MAX_MEMBER_SEARCH_LENGTH} characters.`,
  })
  search?: string | null;
}
