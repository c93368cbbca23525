// The Invitation API type with its status enum and connection, and what inviting and resending answer.
import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, enumOf } from '@orgapi/shared';
import { MembershipRole } from '../memberships/membership.type';
import type { MemberRole } from '../roles/role-rules';

export const INVITATION_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED', 'EXPIRED'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const InvitationStatusEnum = enumOf('InvitationStatus', 'Where an invitation stands.', INVITATION_STATUSES, {
  PENDING: 'Sent and not yet answered; its link works until `expiresAt`.',
  ACCEPTED: 'The invitee accepted it and became a member.',
  DECLINED: 'The invitee declined it.',
  REVOKED: 'An admin revoked it, or a newer invitation to the same address replaced it.',
  EXPIRED: 'Not answered before `expiresAt`; resending it renews it.',
});

@ObjectType({ simpleResolvers: true, description: 'An invitation to join an organization, sent to an email address.' })
export class Invitation {
  @Field(() => ID, { description: 'Opaque ID, prefixed `inv_`.' })
  id!: string;

  @Field({ description: 'The address invited, trimmed and in lower case: only a user who has verified this address can accept.' })
  email!: string;

  @Field(() => MembershipRole, { description: 'The role the invitee gets on accepting; CUSTOM for a custom role (see `customRole`).' })
  role!: MemberRole;

  @Field(() => InvitationStatusEnum, { description: 'Where the invitation stands; EXPIRED is a pending invitation past `expiresAt`.' })
  status!: InvitationStatus;

  @Field(() => DateTime, { description: "When the invitation's link stops working (the organization's `invitationExpiryDays` after it was sent)." })
  expiresAt!: Date;

  @Field(() => DateTime, { description: 'When the invitation was created.' })
  createdAt!: Date;

  // Not in the schema: the resolvers follow them.
  organizationId!: string;
  customRoleId!: string | null;
  /** Null for an invitation the organization's verified domain sent on its own (AUTOMATIC_INVITATION). */
  invitedBy!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'An invitation just sent, with the link the email carries.' })
export class InvitationPayload {
  @Field(() => Invitation, { description: 'The invitation.' })
  invitation!: Invitation;

  @Field({
    description:
      'The link that accepts the invitation, as emailed to the invitee. Shown only in this answer (never readable later): share it yourself if the email does not arrive.',
  })
  acceptUrl!: string;
}

export const InvitationConnection = ConnectionType(Invitation, 'Invitation', 'invitation');
