// Narrowing an organization's audit log.
import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { DateTime, text } from '@orgapi/shared';

@InputType({ description: 'Which audit events to list; every field narrows the list, all are optional.' })
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'Only this action, e.g. `member.role_updated`.' })
  action?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only changes by this user, token or key.' })
  actorId?: string | null;

  @Field(() => DateTime, { nullable: true, description: 'Only changes at or after this time.' })
  from?: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'Only changes before this time.' })
  to?: Date | null;
}

export const auditEventFilter = z
  .object({
    action: text().max(100, 'An action is at most 100 characters.').nullish(),
    actorId: text().max(100, 'An actor ID is at most 100 characters.').nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from < filter.to, { message: '`to` must be later than `from`.', path: ['to'] });
export type AuditFilter = z.infer<typeof auditEventFilter>;
