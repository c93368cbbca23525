// An organization's settings: their defaults, and the rules a change to them must follow.
import { z } from 'zod';
import { ROLES, type Role } from '@orgapi/shared';

export const ENROLLMENT_MODES = ['MANUAL', 'AUTOMATIC_INVITATION', 'AUTOMATIC_SUGGESTION'] as const;
export type EnrollmentMode = (typeof ENROLLMENT_MODES)[number];

export interface OrganizationSettings {
  defaultRole: Role;
  invitationExpiryDays: number;
  allowedEmailDomains: string[];
  enrollmentMode: EnrollmentMode;
}

export const MAX_ALLOWED_EMAIL_DOMAINS = 50;

// Labels of letters, digits and inner hyphens (63 at most), at least two of them, a top-level label that is not all digits.
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]{1,59})$/;

/** An email domain as people type it ("Example.COM "), kept lower-cased. */
const emailDomain = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(DOMAIN_PATTERN, 'Each allowed email domain must be a domain name such as `example.com`, without `@` or `https://`.');

/** A change to the settings: every field optional, and null leaves a setting as it is. */
export const settingsChange = z.object({
  // New members join with a built-in role; a custom role is given afterwards (updateMemberRole with roleId).
  defaultRole: z
    .enum(ROLES, { error: 'New members join with a built-in role (ADMIN, BILLING, MEMBER or VIEWER), not CUSTOM: give a custom role afterwards with updateMemberRole.' })
    .refine((role) => role !== 'OWNER', 'New members cannot join as OWNER: choose ADMIN or a lesser role, and transfer ownership separately.')
    .nullish(),
  invitationExpiryDays: z.number().int('Invitation expiry is a whole number of days.').min(1, 'Invitations must last at least 1 day.').max(30, 'Invitations can last at most 30 days.').nullish(),
  allowedEmailDomains: z
    .array(emailDomain())
    .max(MAX_ALLOWED_EMAIL_DOMAINS, `At most ${MAX_ALLOWED_EMAIL_DOMAINS} email domains can be allowed.`)
    .superRefine((domains, context) => {
      domains.forEach((domain, index) => {
        if (domains.indexOf(domain) !== index) context.addIssue({ code: 'custom', message: `The domain \`${domain}\` is listed twice.`, path: [index] });
      });
    })
    .nullish(),
  enrollmentMode: z.enum(ENROLLMENT_MODES).nullish(),
});
export type SettingsChange = z.infer<typeof settingsChange>;

/** The settings after a change: what the change sets, the current value for everything it leaves out. */
export function mergeSettings(current: OrganizationSettings, change: SettingsChange | null | undefined): OrganizationSettings {
  return {
    defaultRole: change?.defaultRole ?? current.defaultRole,
    invitationExpiryDays: change?.invitationExpiryDays ?? current.invitationExpiryDays,
    allowedEmailDomains: change?.allowedEmailDomains ?? current.allowedEmailDomains,
    enrollmentMode: change?.enrollmentMode ?? current.enrollmentMode,
  };
}
