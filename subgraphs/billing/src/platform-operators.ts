// Who runs the platform: the people who may grant credits and set overdrafts for any organization. A deployment
// names them (PLATFORM_OPERATORS); nobody is one by default.
import { z } from 'zod';
import type { Principal } from '@orgapi/shared';

export interface PlatformOperators {
  userIds: ReadonlySet<string>;
  /** Matched against a user's verified address only: an unverified one proves nothing. */
  emails: ReadonlySet<string>;
}

/** PLATFORM_OPERATORS: user IDs (`usr_…`) and email addresses, separated by commas. */
export const platformOperatorsEnv = {
  PLATFORM_OPERATORS: z
    .string()
    .optional()
    .transform((text, ctx): PlatformOperators => {
      const entries = (text ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const wrong = entries.find((entry) => !/^usr_[0-9a-z]{26}$/.test(entry) && !z.email().safeParse(entry).success);
      if (wrong) ctx.addIssue({ code: 'custom', message: `PLATFORM_OPERATORS lists "${wrong}", which is neither a user ID (usr_…) nor an email address` });
      return {
        userIds: new Set(entries.filter((entry) => entry.startsWith('usr_'))),
        emails: new Set(entries.filter((entry) => entry.includes('@')).map((entry) => entry.toLowerCase())),
      };
    }),
};

export function isPlatformOperator(operators: PlatformOperators, principal: Principal): boolean {
  return operators.userIds.has(principal.userId) || (principal.emailVerified && operators.emails.has(principal.email.toLowerCase()));
}
