// Organization.billing and Organization.creditBalance, the billing account's fields, and the mutations on it.
import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import {
  badInput,
  ConnectionArgs,
  ConnectionSize,
  findUnsafeText,
  isId,
  ListSize,
  notFound,
  pageRequest,
  SafeInt,
  toConnection,
  type Connection,
} from '@orgapi/shared';
import { authorize, authorizeInOrganization, requirePlatformOperator } from '../access';
import type { BillingContext } from '../context';
import { Organization, requiresViewerPermissions } from '../extended.type';
import { alertStateOf } from './balance-alerts';
import { GrantCreditsInput, LedgerEntryFilter, MAX_REFERENCE_LENGTH, SetOverdraftLimitInput, UpdateBillingSettingsInput, VoidCreditGrantInput } from './ledger.input';
import type { AccountRow, LedgerEntryRow } from './ledger.loader';
import type { CreditGrantRow } from './ledger.service';
import {
  BillingAccount,
  BillingAlert,
  BillingAlertConnection,
  BillingStatement,
  CreditBalance,
  CreditGrant,
  CreditGrantConnection,
  LedgerDraw,
  LedgerEntry,
  LedgerEntryConnection,
} from './ledger.type';
import { monthlyStatements } from './statements';

const balanceOf = (account: AccountRow | null): CreditBalance => ({
  available: account?.balance ?? 0,
  granted: account?.granted ?? 0,
  used: account?.used ?? 0,
  expired: account?.expired ?? 0,
  adjusted: account?.adjusted ?? 0,
});

const toLedgerEntry = (row: LedgerEntryRow): LedgerEntry => ({
  ...row,
  project: row.projectId ? { id: row.projectId } : null,
  environment: row.environmentId ? { id: row.environmentId } : null,
  actor: { type: row.actorType, id: row.actorId },
});

/** A short label for people (a reference, a description): trimmed, bounded, printable. */
function label(value: string | null | undefined, field: string): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length > MAX_REFERENCE_LENGTH) throw badInput(`\`${field}\` is at most ${MAX_REFERENCE_LENGTH} characters.`, field);
  const unsafe = findUnsafeText(trimmed);
  if (unsafe) throw badInput(`\`${field}\` contains ${unsafe.problem}.`, field);
  return trimmed;
}

function organizationId(id: string): string {
  if (!isId(id, 'org')) throw notFound('Organization');
  return id;
}

@Resolver(() => Organization)
export class OrganizationBillingResolver {
  @FieldResolver(() => BillingAccount, {
    nullable: true,
    description: "The organization's billing account: balance, grants, ledger, alerts and statements. Needs `billing:read` (null with a FORBIDDEN error otherwise).",
  })
  @requiresViewerPermissions()
  async billing(@Root() organization: Organization, @Ctx() context: BillingContext): Promise<BillingAccount> {
    await authorize(context, 'Organization', organization, 'billing:read');
    // Reading the account writes the expiries that came due, before any of its fields reads the ledger or the grants.
    await context.loaders.account.load(organization.id);
    return { organizationId: organization.id };
  }

  @FieldResolver(() => CreditBalance, { nullable: true, description: "The organization's credits (as `billing.balance`). Needs `billing:read` (null with a FORBIDDEN error otherwise)." })
  @requiresViewerPermissions()
  async creditBalance(@Root() organization: Organization, @Ctx() context: BillingContext): Promise<CreditBalance> {
    await authorize(context, 'Organization', organization, 'billing:read');
    return balanceOf(await context.loaders.account.load(organization.id));
  }
}

// Every field below is reached through Organization.billing (checked there) or a mutation that checked its caller.
@Resolver(() => BillingAccount)
export class BillingAccountResolver {
  @FieldResolver(() => CreditBalance, { description: 'Credits available, granted, used, expired and adjusted, expiries applied as of now.' })
  async balance(@Root() account: BillingAccount, @Ctx() context: BillingContext): Promise<CreditBalance> {
    return balanceOf(await context.loaders.account.load(account.organizationId));
  }

  @FieldResolver(() => SafeInt, { nullable: true, description: 'The balance under which a BALANCE_DROPPED alert is raised; null when none is set.' })
  async lowBalanceThreshold(@Root() account: BillingAccount, @Ctx() context: BillingContext): Promise<number | null> {
    return (await context.loaders.account.load(account.organizationId))?.lowBalanceThreshold ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'True when the balance is below the low-balance threshold, or at zero or below whatever the threshold.' })
  async isLow(@Root() account: BillingAccount, @Ctx() context: BillingContext): Promise<boolean> {
    const row = await context.loaders.account.load(account.organizationId);
    return row ? alertStateOf(row.balance, row.lowBalanceThreshold) !== 'OK' : false;
  }

  @FieldResolver(() => SafeInt, { description: 'How far below zero usage may take the balance (set by platform operators); 0 refuses usage the balance cannot cover.' })
  async overdraftLimit(@Root() account: BillingAccount, @Ctx() context: BillingContext): Promise<number> {
    return (await context.loaders.account.load(account.organizationId))?.overdraftLimit ?? 0;
  }

  @FieldResolver(() => CreditGrantConnection, { description: 'Grants with credits left, oldest first; with `includeInactive`, every grant ever made.' })
  @ConnectionSize()
  async grants(
    @Root() account: BillingAccount,
    @Args() args: ConnectionArgs,
    @Arg('includeInactive', () => Boolean, { defaultValue: false, description: 'Also list grants spent, expired or voided.' }) includeInactive: boolean,
    @Ctx() context: BillingContext,
  ): Promise<Connection<CreditGrantRow>> {
    const page = pageRequest(args);
    const rows = await context.loaders.grants({ page, includeInactive }).load(account.organizationId);
    return toConnection(rows, page, (grant) => grant.id, async () => (await context.loaders.grantCount({ includeInactive }).load(account.organizationId))?.count ?? 0);
  }

  @FieldResolver(() => LedgerEntryConnection, { description: 'The ledger, newest entry first: every change to the balance, with the balance it left.' })
  @ConnectionSize()
  async ledgerEntries(
    @Root() account: BillingAccount,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => LedgerEntryFilter, { nullable: true, description: 'Which entries to list; all when left out.' }) filter: LedgerEntryFilter | null,
    @Ctx() context: BillingContext,
  ): Promise<Connection<LedgerEntry>> {
    const page = pageRequest(args);
    if (filter?.from && filter.to && !(filter.from < filter.to)) throw badInput('`filter.to` must be later than `filter.from`.', 'filter.to');
    const ledgerFilter = { kinds: filter?.kind?.length ? [...new Set(filter.kind)].sort() : null, from: filter?.from ?? null, to: filter?.to ?? null };
    const rows = await context.loaders.entries({ page, filter: ledgerFilter }).load(account.organizationId);
    return toConnection(rows.map(toLedgerEntry), page, (entry) => entry.id, async () => (await context.loaders.entryCount(ledgerFilter).load(account.organizationId))?.count ?? 0);
  }

  @FieldResolver(() => BillingAlertConnection, { description: 'Alerts the balance raised, newest first.' })
  @ConnectionSize()
  async alerts(@Root() account: BillingAccount, @Args() args: ConnectionArgs, @Ctx() context: BillingContext): Promise<Connection<BillingAlert>> {
    const page = pageRequest(args);
    const rows = await context.loaders.alerts(page).load(account.organizationId);
    return toConnection(rows, page, (alert) => alert.id, async () => (await context.loaders.alertCount.load(account.organizationId))?.count ?? 0);
  }

  @FieldResolver(() => [BillingStatement], {
    description: 'One statement per month (UTC) of `year`, from the first month with ledger entries to the current month. They reconcile with the ledger: each closing balance is the next opening balance.',
  })
  @ListSize(12)
  async statements(
    @Root() account: BillingAccount,
    @Arg('year', () => Int, { description: 'The calendar year.' }) year: number,
    @Ctx() context: BillingContext,
  ): Promise<BillingStatement[]> {
    const now = new Date();
    if (!Number.isInteger(year) || year < 2000 || year > now.getUTCFullYear()) return monthlyStatements(year, now, { opening: 0, firstEntryAt: null, months: [] });
    const totals = await context.loaders.statementTotals(year).load(account.organizationId);
    return monthlyStatements(year, now, totals ?? { opening: 0, firstEntryAt: null, months: [] });
  }
}

@Resolver(() => LedgerEntry)
export class LedgerEntryResolver {
  @FieldResolver(() => [LedgerDraw], { description: 'For a usage debit, the grants it drew from in spending order; empty for other entries or what went into an overdraft.' })
  @ListSize(10)
  async draws(@Root() entry: LedgerEntry, @Ctx() context: BillingContext): Promise<LedgerDraw[]> {
    return entry.kind === 'USAGE' ? context.loaders.draws.load(entry.id) : [];
  }
}

@Resolver()
export class BillingMutationResolver {
  @Mutation(() => CreditGrant, {
    description:
      'Grants credits to an organization: a GRANT entry (ADJUSTMENT for the ADJUSTMENT category) in its ledger. For platform operators only (PLATFORM_OPERATORS).',
  })
  async grantCredits(@Arg('input', () => GrantCreditsInput, { description: 'The organization and the credits to grant.' }) input: GrantCreditsInput, @Ctx() context: BillingContext): Promise<CreditGrant> {
    const operator = requirePlatformOperator(context);
    const id = organizationId(input.organizationId);
    if (!(await context.organizationExists(id))) throw notFound('Organization');
    return context.ledger.grant(
      {
        organizationId: id,
        amount: input.amount,
        category: input.category,
        priority: input.priority,
        expiresAt: input.expiresAt,
        reference: label(input.reference, 'reference'),
        description: label(input.description, 'description'),
      },
      { type: 'USER', id: operator.userId },
    );
  }

  @Mutation(() => CreditGrant, { description: 'Voids a grant: what is left of it leaves the balance (a REVERSAL entry). For platform operators only.' })
  async voidCreditGrant(@Arg('input', () => VoidCreditGrantInput, { description: 'The grant to void, and why.' }) input: VoidCreditGrantInput, @Ctx() context: BillingContext): Promise<CreditGrant> {
    const operator = requirePlatformOperator(context);
    if (!isId(input.grantId, 'grt')) throw notFound('Credit grant');
    return context.ledger.voidGrant(input.grantId, label(input.reason, 'reason'), { type: 'USER', id: operator.userId });
  }

  @Mutation(() => BillingAccount, { description: "Changes an organization's billing settings (the low-balance threshold). Needs `billing:manage`." })
  async updateBillingSettings(@Arg('input', () => UpdateBillingSettingsInput, { description: 'The organization and the settings to change.' }) input: UpdateBillingSettingsInput, @Ctx() context: BillingContext): Promise<BillingAccount> {
    const id = organizationId(input.organizationId);
    const caller = await authorizeInOrganization(context, id, 'billing:manage');
    if (input.lowBalanceThreshold !== undefined) await context.ledger.setLowBalanceThreshold(id, input.lowBalanceThreshold, { type: 'USER', id: caller.userId });
    return { organizationId: id };
  }

  @Mutation(() => BillingAccount, { description: 'Sets how far below zero usage may take an organization\'s balance. For platform operators only.' })
  async setOverdraftLimit(@Arg('input', () => SetOverdraftLimitInput, { description: 'The organization and its new overdraft limit.' }) input: SetOverdraftLimitInput, @Ctx() context: BillingContext): Promise<BillingAccount> {
    requirePlatformOperator(context);
    const id = organizationId(input.organizationId);
    if (!(await context.organizationExists(id))) throw notFound('Organization');
    await context.ledger.setOverdraftLimit(id, input.limit);
    return { organizationId: id };
  }
}

export const ledgerResolvers = [OrganizationBillingResolver, BillingAccountResolver, LedgerEntryResolver, BillingMutationResolver] as const;
