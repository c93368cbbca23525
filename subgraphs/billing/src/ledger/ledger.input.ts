// Inputs of the billing account's mutations and of the ledger's filter.
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTime, SafeInt } from '@orgapi/shared';
import type { LedgerEntryKind as Kind } from './locked-account';
import { CreditGrantCategory, LedgerEntryKind } from './ledger.type';
import { DEFAULT_GRANT_PRIORITY, MAX_GRANT_AMOUNT } from './ledger.service';
import type { GrantCategory } from './spending-order';

/** References and descriptions are short labels for people reading the ledger. */
export const MAX_REFERENCE_LENGTH = 200;

@InputType({ description: 'Credits to grant to an organization.' })
export class GrantCreditsInput {
  @Field(() => ID, { description: 'The organization.' })
  organizationId!: string;

  @Field(() => SafeInt, { description: `Credits to grant, a whole number from 1 to ${MAX_GRANT_AMOUNT.toLocaleString('en-US')}.` })
  amount!: number;

  @Field(() => CreditGrantCategory, { description: 'Why they are granted; decides the ledger entry (GRANT or ADJUSTMENT) and the spending order.' })
  category!: GrantCategory;

  @Field(() => Int, { nullable: true, description: `Spending priority from 0 (spent first) to 100; ${DEFAULT_GRANT_PRIORITY} when left out.` })
  priority?: number | null;

  @Field(() => DateTime, { nullable: true, description: 'When what is left of the grant expires (in the future); never when left out.' })
  expiresAt?: Date | null;

  @Field(() => String, { nullable: true, description: `Your reference (an invoice, an order, a ticket), at most ${MAX_REFERENCE_LENGTH} characters.` })
  reference?: string | null;

  @Field(() => String, { nullable: true, description: `What the grant is for, at most ${MAX_REFERENCE_LENGTH} characters; a default by category when left out.` })
  description?: string | null;
}

@InputType({ description: 'A grant to void: what is left of it leaves the balance; what was spent stays spent.' })
export class VoidCreditGrantInput {
  @Field(() => ID, { description: 'The grant.' })
  grantId!: string;

  @Field(() => String, { nullable: true, description: `Why, at most ${MAX_REFERENCE_LENGTH} characters: shown on the ledger entry.` })
  reason?: string | null;
}

@InputType({ description: "Changes to an organization's billing settings; a field left out stays as it is." })
export class UpdateBillingSettingsInput {
  @Field(() => ID, { description: 'The organization.' })
  organizationId!: string;

  @Field(() => SafeInt, {
    nullable: true,
    description: 'Raise a BALANCE_DROPPED alert when the balance falls below this many credits; null removes the threshold.',
  })
  lowBalanceThreshold?: number | null;
}

@InputType({ description: "How far below zero an organization's balance may go." })
export class SetOverdraftLimitInput {
  @Field(() => ID, { description: 'The organization.' })
  organizationId!: string;

  @Field(() => SafeInt, { description: 'Credits the balance may go below zero; 0 refuses any usage the balance cannot cover.' })
  limit!: number;
}

@InputType({ description: 'Which ledger entries to list; all when left out.' })
export class LedgerEntryFilter {
  @Field(() => [LedgerEntryKind], { nullable: true, description: 'Only entries of these kinds.' })
  kind?: Kind[] | null;

  @Field(() => DateTime, { nullable: true, description: 'Only entries at or after this time.' })
  from?: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'Only entries before this time.' })
  to?: Date | null;
}
