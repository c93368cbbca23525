// The inputs of the membership mutations: switching organization, changing a role, removing a member, leaving.
import { Field, ID, InputType } from 'type-graphql';
import type { Role } from '@orgapi/shared';
import { MembershipRole } from './membership.type';

@InputType({ description: 'The organization to switch to.' })
export class SetActiveOrganizationInput {
  @Field(() => ID, { description: 'An organization you belong to.' })
  organizationId!: string;
}

@InputType({ description: "A member's new role." })
export class UpdateMemberRoleInput {
  @Field(() => ID, { description: 'The membership to change (`Membership.id`).' })
  membershipId!: string;

  @Field(() => MembershipRole, { description: 'The new role. Making, demoting or changing an OWNER needs `owners:manage`.' })
  role!: Role;
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

  @Field(() => MembershipRole, { nullable: true, description: 'What you become: ADMIN unless told otherwise (OWNER keeps you an owner too).' })
  previousOwnerRole?: Role | null;
}
