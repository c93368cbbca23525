// The JoinRequest API type (a user asking to join an organization suggested to them) and SuggestedOrganization, the little an outsider sees of one.
import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, enumOf } from '@orgapi/shared';

export const JOIN_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'DECLINED', 'CANCELLED'] as const;
export type JoinRequestStatus = (typeof JOIN_REQUEST_STATUSES)[number];

export const JoinRequestStatusEnum = enumOf('JoinRequestStatus', 'Where a request to join an organization stands.', JOIN_REQUEST_STATUSES, {
  PENDING: 'Waiting for an admin to approve or decline it.',
  APPROVED: 'Approved: the requester became a member.',
  DECLINED: 'Declined by an admin.',
  CANCELLED: 'Withdrawn by the requester.',
});

@ObjectType({ simpleResolvers: true, description: 'A request by a user with a verified address at one of an organization’s verified domains to join it.' })
export class JoinRequest {
  @Field(() => ID, { description: 'Opaque ID, prefixed `jrq_`.' })
  id!: string;

  @Field(() => JoinRequestStatusEnum, { description: 'Where the request stands.' })
  status!: JoinRequestStatus;

  @Field({ description: "The requester's email address when they asked (verified then): what admins know them by before they join." })
  email!: string;

  @Field(() => DateTime, { description: 'When the request was made.' })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When it was approved, declined or cancelled; null while pending.' })
  decidedAt!: Date | null;

  // Not plain fields: the organization asked, and the requester (`user`).
  organizationId!: string;
  userId!: string;
}

export const JoinRequestConnection = ConnectionType(JoinRequest, 'JoinRequest', 'join request');

@ObjectType({ simpleResolvers: true, description: 'An organization suggested to you because it verified the domain of your email address: only what lets you recognise it.' })
export class SuggestedOrganization {
  @Field(() => ID, { description: 'The organization’s ID, to pass to requestToJoin.' })
  id!: string;

  @Field({ description: 'The organization’s handle.' })
  slug!: string;

  @Field({ description: 'The organization’s display name.' })
  name!: string;

  @Field({ description: 'The verified domain it is suggested for: your email address’s.' })
  domain!: string;
}
