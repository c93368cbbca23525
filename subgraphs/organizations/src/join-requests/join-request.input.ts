// The inputs of requestToJoin, approveJoinRequest, declineJoinRequest and cancelJoinRequest.
import { Field, ID, InputType } from 'type-graphql';
import type { Role } from '@orgapi/shared';
import { MembershipRole } from '../memberships/membership.type';

@InputType({ description: 'An organization suggested to you (`viewer.suggestedOrganizations`) to ask to join.' })
export class RequestToJoinInput {
  @Field(() => ID, { description: 'The organization.' })
  organizationId!: string;
}

@InputType({ description: 'A pending join request to approve.' })
export class ApproveJoinRequestInput {
  @Field(() => ID, { description: 'The join request.' })
  joinRequestId!: string;

  @Field(() => MembershipRole, { nullable: true, description: 'The built-in role the new member gets; the organization’s `settings.defaultRole` when left out. Not CUSTOM: give a custom role afterwards.' })
  role?: Role | 'CUSTOM' | null;
}

@InputType({ description: 'A pending join request to decline.' })
export class DeclineJoinRequestInput {
  @Field(() => ID, { description: 'The join request.' })
  joinRequestId!: string;
}

@InputType({ description: 'Your own pending join request to withdraw.' })
export class CancelJoinRequestInput {
  @Field(() => ID, { description: 'The join request.' })
  joinRequestId!: string;
}
