// One organization's billing account, locked for one transaction: every change to its balance is appended here as
// a ledger entry carrying the balance it left, and `close` writes the entries, the draws on grants, the grants'
// remainders and the account in a few statements, so a batch of 1,000 debits costs what one does.
import { BILLING_ALERT, newId, publishEvent, type BillingAlert, type Queryable } from '@orgapi/shared';
import { alertFor, alertStateOf, type AlertKind, type AlertState } from './balance-alerts';
import { bySpendingOrder, draw, type Draw, type GrantCategory, type SpendableGrant } from './spending-order';

export type LedgerEntryKind = 'GRANT' | 'USAGE' | 'EXPIRY' | 'ADJUSTMENT' | 'REVERSAL';

/** Who made a change: a person (a platform operator, a billing manager), an environment's API key, or the system. */
export interface LedgerActor {
  type: 'USER' | 'API_KEY' | 'SYSTEM';
  id: string | null;
}
export const SYSTEM_ACTOR: LedgerActor = { type: 'SYSTEM', id: null };

/** What a change adds to the ledger; `amount` is signed: credits in are positive, credits out negative. */
export interface EntryDraft {
  kind: LedgerEntryKind;
  amount: number;
  description: string;
  grantId?: string | null;
  usageEventId?: string | null;
  projectId?: string | null;
  environmentId?: string | null;
  reference?: string | null;
}

export interface AppendedEntry {
  id: string;
  sequence: number;
  balanceAfter: number;
}

interface AccountRow {
  balance: string;
  granted: string;
  used: string;
  expired: string;
  adjusted: string;
  overdraft_limit: string;
  low_balance_threshold: string | null;
  alert_state: AlertState;
  last_sequence: string;
}

interface GrantRow {
  id: string;
  category: GrantCategory;
  priority: number;
  expires_at: Date | null;
  granted_at: Date;
  remaining: string;
}

const ACCOUNT_COLUMNS = 'balance, granted, used, expired, adjusted, overdraft_limit, low_balance_threshold, alert_state, last_sequence';

export class LockedAccount {
  balance: number;
  readonly overdraftLimit: number;
  lowBalanceThreshold: number | null;
  private totals: { granted: number; used: number; expired: number; adjusted: number };
  private readonly alertState: AlertState;
  private sequence: number;
  private grants: SpendableGrant[] | null = null;
  private readonly changedGrants = new Set<SpendableGrant>();
  private readonly entries: (EntryDraft & AppendedEntry)[] = [];
  private readonly draws: (Draw & { entryId: string })[] = [];
  private settingsChanged = false;

  private constructor(
    private readonly tx: Queryable,
    readonly organizationId: string,
    row: AccountRow,
    /** The time of this change: the entries' time, and what "expired" is measured against. */
    readonly at: Date,
    readonly actor: LedgerActor,
  ) {
    this.balance = Number(row.balance);
    this.overdraftLimit = Number(row.overdraft_limit);
    this.lowBalanceThreshold = row.low_balance_threshold === null ? null : Number(row.low_balance_threshold);
    this.totals = { granted: Number(row.granted), used: Number(row.used), expired: Number(row.expired), adjusted: Number(row.adjusted) };
    this.alertState = row.alert_state;
    this.sequence = Number(row.last_sequence);
  }

  /**
   * Locks the organization's account (creating it on first use) until `tx` ends: every writer of one organization's
   * balance queues here, which is what keeps ledger sum = balance under any number of concurrent debits.
   */
  static async open(tx: Queryable, organizationId: string, at: Date, actor: LedgerActor): Promise<LockedAccount> {
    const lock = `SELECT ${ACCOUNT_COLUMNS} FROM billing_accounts WHERE organization_id = $1 FOR UPDATE`;
    let [row]: AccountRow[] = await tx.query(lock, [organizationId]);
    if (!row) {
      await tx.query('INSERT INTO billing_accounts (organization_id) VALUES ($1) ON CONFLICT (organization_id) DO NOTHING', [organizationId]);
      [row] = await tx.query(lock, [organizationId]);
    }
    const account = new LockedAccount(tx, organizationId, row, at, actor);
    await account.expireDue();
    return account;
  }

  /** Credits that can still be spent before a debit is refused: the balance plus the overdraft allowed. */
  get spendable(): number {
    return this.balance + this.overdraftLimit;
  }

  /** The grants with credits left, in spending order (loaded once per transaction). */
  async spendableGrants(): Promise<SpendableGrant[]> {
    if (!this.grants) {
      const rows: GrantRow[] = await this.tx.query(
        'SELECT id, category, priority, expires_at, granted_at, remaining::text FROM credit_grants WHERE organization_id = $1 AND remaining > 0',
        [this.organizationId],
      );
      this.grants = rows
        .map((row) => ({
          id: row.id,
          category: row.category,
          priority: row.priority,
          expiresAt: row.expires_at,
          grantedAt: row.granted_at,
          remaining: Number(row.remaining),
        }))
        .sort(bySpendingOrder);
    }
    return this.grants;
  }

  /** Grants whose expiry has come leave the balance with what is left of them, one EXPIRY entry each. */
  private async expireDue(): Promise<void> {
    const [due] = await this.tx.query(
      'SELECT 1 FROM credit_grants WHERE organization_id = $1 AND remaining > 0 AND expires_at <= $2 LIMIT 1',
      [this.organizationId, this.at],
    );
    if (!due) return;
    for (const grant of await this.spendableGrants()) {
      if (!grant.expiresAt || grant.expiresAt > this.at || grant.remaining === 0) continue;
      const amount = grant.remaining;
      this.setRemaining(grant, 0);
      this.append({ kind: 'EXPIRY', amount: -amount, grantId: grant.id, description: 'Unused credits expired' });
    }
  }

  /** Adds a new grant's credits; while the balance is in overdraft, the grant repays that first. */
  addGrant(grant: SpendableGrant & { amount: number }, entry: Omit<EntryDraft, 'amount' | 'grantId'>): AppendedEntry {
    const debt = Math.max(0, -this.balance);
    grant.remaining = grant.amount - Math.min(grant.amount, debt);
    this.grants?.push(grant);
    this.grants?.sort(bySpendingOrder);
    return this.append({ ...entry, amount: grant.amount, grantId: grant.id });
  }

  /** Takes what is left of one grant out of the balance (a voided grant): a REVERSAL entry, or null if nothing was left. */
  async removeGrant(grantId: string, description: string, reference: string | null): Promise<AppendedEntry | null> {
    const grant = (await this.spendableGrants()).find((candidate) => candidate.id === grantId);
    if (!grant || grant.remaining === 0) return null;
    const amount = grant.remaining;
    this.setRemaining(grant, 0);
    return this.append({ kind: 'REVERSAL', amount: -amount, grantId, description, reference });
  }

  /**
   * Debits `amount` (> 0) from the grants in spending order and records which grants it drew from; the caller has
   * checked `spendable` first. What the grants cannot cover goes into the overdraft.
   */
  async debit(amount: number, entry: Omit<EntryDraft, 'amount'>): Promise<AppendedEntry> {
    const grants = await this.spendableGrants();
    const { draws } = draw(grants, amount);
    for (const taken of draws) this.changedGrants.add(grants.find((grant) => grant.id === taken.grantId)!);
    const appended = this.append({ ...entry, amount: -amount });
    for (const taken of draws) this.draws.push({ ...taken, entryId: appended.id });
    return appended;
  }

  /** The low-balance threshold (null: none); a change may itself raise or clear an alert. */
  setLowBalanceThreshold(threshold: number | null): void {
    this.lowBalanceThreshold = threshold;
    this.settingsChanged = true;
  }

  private setRemaining(grant: SpendableGrant, remaining: number): void {
    grant.remaining = remaining;
    this.changedGrants.add(grant);
  }

  private append(draft: EntryDraft): AppendedEntry {
    this.balance += draft.amount;
    const column = { GRANT: 'granted', ADJUSTMENT: 'adjusted', REVERSAL: 'adjusted', USAGE: 'used', EXPIRY: 'expired' } as const;
    const total = column[draft.kind];
    this.totals[total] += total === 'adjusted' ? draft.amount : Math.abs(draft.amount);
    const appended = { id: newId('led'), sequence: ++this.sequence, balanceAfter: this.balance };
    this.entries.push({ ...draft, ...appended });
    return appended;
  }

  /**
   * Writes what this transaction appended: entries, draws, grants' remainders and the account, then the alert a
   * crossing raised (stored, and published to organizations for the audit log and the emails). Returns that alert.
   */
  async close(): Promise<AlertKind | null> {
    const { tx, entries } = this;
    if (entries.length === 0 && !this.settingsChanged) return null;
    if (entries.length > 0) {
      const column = <K extends keyof (EntryDraft & AppendedEntry)>(key: K) => entries.map((entry) => entry[key] ?? null);
      await tx.query(
        `INSERT INTO ledger_entries (id, organization_id, sequence, kind, amount, balance_after, grant_id, usage_event_id, project_id, environment_id,
                                     actor_type, actor_id, reference, description, created_at)
         SELECT e.id, $1, e.sequence, e.kind, e.amount, e.balance_after, e.grant_id, e.usage_event_id, e.project_id, e.environment_id, $2, $3, e.reference, e.description, $4
           FROM unnest($5::text[], $6::bigint[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
                AS e(id, sequence, kind, amount, balance_after, grant_id, usage_event_id, project_id, environment_id, reference, description)`,
        [
          this.organizationId,
          this.actor.type,
          this.actor.id,
          this.at,
          column('id'),
          column('sequence'),
          column('kind'),
          column('amount'),
          column('balanceAfter'),
          column('grantId'),
          column('usageEventId'),
          column('projectId'),
          column('environmentId'),
          column('reference'),
          column('description'),
        ],
      );
    }
    if (this.draws.length > 0) {
      await tx.query(
        `INSERT INTO ledger_draws (ledger_entry_id, grant_id, amount)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
        [this.draws.map((d) => d.entryId), this.draws.map((d) => d.grantId), this.draws.map((d) => d.amount)],
      );
    }
    const changed = [...this.changedGrants];
    if (changed.length > 0) {
      await tx.query(
        `UPDATE credit_grants g SET remaining = v.remaining FROM unnest($1::text[], $2::bigint[]) AS v(id, remaining) WHERE g.id = v.id`,
        [changed.map((grant) => grant.id), changed.map((grant) => grant.remaining)],
      );
    }
    const state = alertStateOf(this.balance, this.lowBalanceThreshold);
    await tx.query(
      `UPDATE billing_accounts SET balance = $2, granted = $3, used = $4, expired = $5, adjusted = $6, last_sequence = $7, alert_state = $8,
              low_balance_threshold = $9,
              next_expiry_at = (SELECT min(expires_at) FROM credit_grants WHERE organization_id = $1 AND remaining > 0 AND expires_at IS NOT NULL)
        WHERE organization_id = $1`,
      [
        this.organizationId,
        this.balance,
        this.totals.granted,
        this.totals.used,
        this.totals.expired,
        this.totals.adjusted,
        this.sequence,
        state,
        this.lowBalanceThreshold,
      ],
    );
    const kind = alertFor(this.alertState, state);
    if (kind) await this.raise(kind);
    return kind;
  }

  private async raise(kind: AlertKind): Promise<void> {
    const alert: BillingAlert = {
      alertId: newId('alt'),
      organizationId: this.organizationId,
      kind,
      balance: this.balance,
      threshold: this.lowBalanceThreshold,
    };
    await this.tx.query('INSERT INTO billing_alerts (id, organization_id, kind, balance, threshold, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      alert.alertId,
      alert.organizationId,
      kind,
      alert.balance,
      alert.threshold,
      this.at,
    ]);
    await publishEvent(this.tx, BILLING_ALERT, { ...alert });
  }
}
