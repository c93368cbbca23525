// The inputs of inviteMember, resendInvitation, revokeInvitation, acceptInvitation and declineInvitation, and their validation.
import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { emailAddress, text } from '@orgapi/shared';
import { MembershipRole } from '../memberships/membership.type';
import type { MemberRole } from '../roles/role-rules';

@InputType({ description: 'Who to invite, and with which role: pass exactly one of `role` (a built-in role) or `roleId` (a built-in or custom role).' })
export class InviteMemberInput {
  @Field(() => ID, { description: 'The organization to invite to.' })
  organizationId!: string;

  @Field({ description: "The invitee's email address (case does not matter); it must be in the organization's `allowedEmailDomains` when it lists any." })
  email!: string;

  @Field(() => MembershipRole, {
    nullable: true,
    description: 'The built-in role the invitee gets (not CUSTOM: pass `roleId` for a custom role). Inviting an OWNER needs `owners:manage`.',
  })
  role?: MemberRole | null;

  @Field(() => ID, { nullable: true, description: 'The role by `Role.id`: a custom role of the organization, or a built-in role (`role_admin` …).' })
  roleId?: string | null;
}

@InputType({ description: 'The invitation to send again.' })
export class ResendInvitationInput {
  @Field(() => ID, { description: 'A pending (or expired) invitation; its previous link stops working.' })
  invitationId!: string;
}

@InputType({ description: 'The invitation to revoke.' })
export class RevokeInvitationInput {
  @Field(() => ID, { description: 'A pending (or expired) invitation; its link stops working at once.' })
  invitationId!: string;
}

@InputType({ description: 'The invitation to accept, by the token of its link.' })
export class AcceptInvitationInput {
  @Field({ description: 'The `token` query parameter of the link in the invitation email.' })
  token!: string;
}

@InputType({ description: 'The invitation to decline, by the token of its link.' })
export class DeclineInvitationInput {
  @Field({ description: 'The `token` query parameter of the link in the invitation email.' })
  token!: string;
}

export const inviteMemberInput = z.object({ email: emailAddress() });
// A token is 43 base64url characters; anything much longer names no invitation and is refused before any SQL.
export const invitationTokenInput = z.object({ token: text().trim().min(1, 'Pass the token from the invitation link.').max(200, 'This is not an invitation token.') });
