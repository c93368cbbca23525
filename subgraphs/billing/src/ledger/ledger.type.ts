// The API types of an organization's billing account: balance, grants, ledger entries, alerts and statements.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType, DateTime, enumOf, SafeInt } from '@orgapi/shared';
import { Environment, Project } from '../extended.type';
import type { AlertKind } from './balance-alerts';
import type { LedgerEntryKind as Kind } from './locked-account';
import type { GrantCategory } from './spending-order';

export const CreditGrantCategory = enumOf('CreditGrantCategory', 'Why credits were granted.', ['PURCHASED', 'PROMOTIONAL', 'ADJUSTMENT'] as const, {
  PURCHASED: 'Paid for by the organization. Spent after promotional credits of the same priority and expiry.',
  PROMOTIONAL: 'Given free (a trial, a campaign, a goodwill gesture). Spent before purchased credits of the same priority and expiry.',
  ADJUSTMENT: 'A correction by the platform (a refund of faulty usage, a migration). Shown as an adjustment, not as a grant.',
});

export const LedgerEntryKind = enumOf('LedgerEntryKind', 'What changed the balance.', ['GRANT', 'USAGE', 'EXPIRY', 'ADJUSTMENT', 'REVERSAL'] as const, {
  GRANT: 'Credits granted (purchased or promotional).',
  USAGE: 'Credits spent by usage recorded in a LIVE environment.',
  EXPIRY: 'What was left of a grant when it expired.',
  ADJUSTMENT: 'Credits added by an adjustment grant.',
  REVERSAL: 'What was left of a grant when it was voided.',
});

export const LedgerActorType = enumOf('LedgerActorType', 'Who made a change to a balance.', ['USER', 'API_KEY', 'SYSTEM'] as const, {
  USER: 'A person: a platform operator or a billing manager.',
  API_KEY: "An environment's secret key, recording usage.",
  SYSTEM: 'The platform itself: an expiry, the demo data.',
});

export const BillingAlertKind = enumOf('BillingAlertKind', "A crossing of an organization's balance, as Orb's credit balance alerts.", ['BALANCE_DROPPED', 'BALANCE_DEPLETED', 'BALANCE_RECOVERED'] as const, {
  BALANCE_DROPPED: 'The balance fell below the low-balance threshold.',
  BALANCE_DEPLETED: 'The balance reached zero (or went below, within an overdraft).',
  BALANCE_RECOVERED: 'The balance came back: above zero after being depleted, or up to the threshold after being low.',
});

@ObjectType({ simpleResolvers: true, description: "An organization's credits: what was granted, used, expired and adjusted, and what is left." })
export class CreditBalance {
  @Field(() => SafeInt, { description: 'Credits left to spend: granted + adjusted − used − expired. Negative only within an overdraft.' })
  available!: number;

  @Field(() => SafeInt, { description: 'All credits ever granted (purchased and promotional).' })
  granted!: number;

  @Field(() => SafeInt, { description: 'All credits ever spent by LIVE usage.' })
  used!: number;

  @Field(() => SafeInt, { description: 'All credits that expired unspent.' })
  expired!: number;

  @Field(() => SafeInt, { description: 'Net credits of adjustments and voided grants (negative when more was taken back than added).' })
  adjusted!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Credits granted to an organization, and what is left of them.' })
export class CreditGrant {
  @Field(() => ID, { description: 'Opaque ID (`grt_…`).' })
  id!: string;

  @Field(() => SafeInt, { description: 'Credits granted.' })
  amount!: number;

  @Field(() => SafeInt, { description: 'Credits of this grant not yet spent, expired or voided.' })
  remaining!: number;

  @Field(() => CreditGrantCategory, { description: 'Why the credits were granted.' })
  category!: GrantCategory;

  @Field(() => Int, { description: 'Spending priority, 0 to 100: grants with a lower number are spent first.' })
  priority!: number;

  @Field(() => DateTime, { nullable: true, description: 'When what is left expires; null: never.' })
  expiresAt!: Date | null;

  @Field(() => DateTime, { description: 'When the credits were granted.' })
  grantedAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When the grant was voided, if it was.' })
  voidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The granter's reference: an invoice, an order, a support ticket." })
  reference!: string | null;

  @Field({ description: 'What the grant is for, as the ledger shows it.' })
  description!: string;

  organizationId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Who made a change to a balance.' })
export class LedgerActor {
  @Field(() => LedgerActorType, { description: 'A person, an API key or the platform.' })
  type!: 'USER' | 'API_KEY' | 'SYSTEM';

  @Field(() => ID, { nullable: true, description: 'The user (`usr_…`) or API key (`key_…`); null for the system.' })
  id!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'Credits a usage debit took from one grant.' })
export class LedgerDraw {
  @Field(() => ID, { description: 'The grant the credits came from.' })
  grantId!: string;

  @Field(() => SafeInt, { description: 'Credits taken from it.' })
  amount!: number;
}

@ObjectType({ description: 'One change to an organization\'s balance. The ledger is append-only: entries are never changed or removed.' })
export class LedgerEntry {
  @Field(() => ID, { description: 'Opaque ID (`led_…`).' })
  id!: string;

  @Field(() => SafeInt, { description: "The entry's position in the organization's ledger: 1, 2, 3 … without gaps." })
  sequence!: number;

  @Field(() => LedgerEntryKind, { description: 'What changed the balance.' })
  kind!: Kind;

  @Field(() => SafeInt, { description: 'Credits in (positive) or out (negative).' })
  amount!: number;

  @Field(() => SafeInt, { description: 'The balance this entry left.' })
  balanceAfter!: number;

  @Field(() => ID, { nullable: true, description: 'The grant this entry granted, expired or voided.' })
  grantId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The usage event this entry charged.' })
  usageEventId!: string | null;

  @Field(() => Project, { nullable: true, description: 'The project whose usage this entry charged.' })
  project!: Project | null;

  @Field(() => Environment, { nullable: true, description: 'The environment whose usage this entry charged.' })
  environment!: Environment | null;

  @Field(() => LedgerActor, { description: 'Who made the change.' })
  actor!: LedgerActor;

  @Field(() => String, { nullable: true, description: "The caller's reference: a grant's reference, or a usage event's idempotency key." })
  reference!: string | null;

  @Field({ description: 'What happened, for people reading the ledger.' })
  description!: string;

  @Field(() => DateTime, { description: 'When the balance changed.' })
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "An alert an organization's balance raised: once per crossing, in the audit log and by email to billing managers." })
export class BillingAlert {
  @Field(() => ID, { description: 'Opaque ID (`alt_…`).' })
  id!: string;

  @Field(() => BillingAlertKind, { description: 'Which crossing.' })
  kind!: AlertKind;

  @Field(() => SafeInt, { description: 'The balance when the alert was raised.' })
  balance!: number;

  @Field(() => SafeInt, { nullable: true, description: 'The low-balance threshold then; null when none was set.' })
  threshold!: number | null;

  @Field(() => DateTime, { description: 'When the alert was raised.' })
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'One calendar month (UTC) of the ledger: closing balance = opening + granted + adjusted − used − expired.' })
export class BillingStatement {
  @Field({ description: 'The month, as YYYY-MM.' })
  month!: string;

  @Field(() => DateTime, { description: 'Start of the month (inclusive).' })
  periodStart!: Date;

  @Field(() => DateTime, { description: 'Start of the next month (exclusive).' })
  periodEnd!: Date;

  @Field(() => SafeInt, { description: 'The balance when the month began.' })
  openingBalance!: number;

  @Field(() => SafeInt, { description: 'Credits granted in the month.' })
  granted!: number;

  @Field(() => SafeInt, { description: 'Credits spent by LIVE usage in the month (as charged, by when it was recorded).' })
  used!: number;

  @Field(() => SafeInt, { description: 'Credits that expired in the month.' })
  expired!: number;

  @Field(() => SafeInt, { description: 'Net credits of adjustments and voided grants in the month.' })
  adjusted!: number;

  @Field(() => SafeInt, { description: 'The balance when the month ended (or now, for the current month).' })
  closingBalance!: number;
}

@ObjectType({ description: "An organization's billing account: its balance, grants, ledger, alerts and statements." })
export class BillingAccount {
  organizationId!: string;
}

export const CreditGrantConnection = ConnectionType(CreditGrant, 'CreditGrant', 'credit grant');
export const LedgerEntryConnection = ConnectionType(LedgerEntry, 'LedgerEntry', 'ledger entry');
export const BillingAlertConnection = ConnectionType(BillingAlert, 'BillingAlert', 'billing alert');
