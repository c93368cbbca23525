// The OrganizationSettings API type, its input and the EnrollmentMode enum.
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { enumOf, type Role } from '@orgapi/shared';
import { MembershipRole } from '../memberships/membership.type';
import { ENROLLMENT_MODES, MAX_ALLOWED_EMAIL_DOMAINS, type EnrollmentMode } from './settings';

export const EnrollmentModeEnum = enumOf('EnrollmentMode', 'How people with an email address at one of the organization’s verified domains join it.', ENROLLMENT_MODES, {
  MANUAL: 'Only by invitation, as anyone else.',
  AUTOMATIC_INVITATION: 'A user with a verified address at the domain is invited when they sign up or verify it.',
  AUTOMATIC_SUGGESTION: 'The organization is suggested to such users, who may ask to join; admins approve.',
});

@ObjectType({ simpleResolvers: true, description: 'How an organization admits and treats new members.' })
export class OrganizationSettings {
  @Field(() => MembershipRole, { description: 'The built-in role new members get unless told otherwise: never OWNER, never CUSTOM (give a custom role afterwards).' })
  defaultRole!: Role;

  @Field(() => Int, { description: 'Days an invitation stays valid, 1 to 30.' })
  invitationExpiryDays!: number;

  @Field(() => [String], { description: 'Email domains members may be invited from, lower-case (`example.com`); empty allows any.' })
  allowedEmailDomains!: string[];

  @Field(() => EnrollmentModeEnum, { description: 'How people at the organization’s verified domains join it.' })
  enrollmentMode!: EnrollmentMode;
}

@InputType({ description: 'Changes to an organization’s settings: each field is optional, and one left out or null keeps its current value.' })
export class OrganizationSettingsInput {
  @Field(() => MembershipRole, { nullable: true, description: 'The built-in role new members get; not OWNER, not CUSTOM.' })
  defaultRole?: Role | null;

  @Field(() => Int, { nullable: true, description: 'Days an invitation stays valid, 1 to 30.' })
  invitationExpiryDays?: number | null;

  @Field(() => [String], { nullable: true, description: `Email domains members may come from (at most ${MAX_ALLOWED_EMAIL_DOMAINS}, no repeats; lower-cased); an empty list allows any. Replaces the whole list.` })
  allowedEmailDomains?: string[] | null;

  @Field(() => EnrollmentModeEnum, { nullable: true, description: 'How people at the organization’s verified domains join it.' })
  enrollmentMode?: EnrollmentMode | null;
}
