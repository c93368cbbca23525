// Granting and voiding credits, billing settings and the expiry sweep: each one transaction on a locked account
// (locked-account.ts). Knows nothing of GraphQL.
import type { EntityManager } from 'typeorm';
import { AppError, badInput, ErrorCode, newId, notFound, type Queryable } from '@orgapi/shared';
import { LockedAccount, SYSTEM_ACTOR, type LedgerActor } from './locked-account';
import type { GrantCategory } from './spending-order';

/** The most one grant may carry: a trillion credits keeps every sum of grants far inside a safe integer. */
export const MAX_GRANT_AMOUNT = 1_000_000_000_000;
/** The most an overdraft may reach. */
export const MAX_OVERDRAFT_LIMIT = 1_000_000_000_000;

export interface GrantTerms {
  organizationId: string;
  amount: number;
  category: GrantCategory;
  /** 0–100, lower spent first; 50 when not given. */
  priority?: number | null;
  expiresAt?: Date | null;
  /** The caller's reference (an invoice or a support ticket), shown on the grant and its ledger entry. */
  reference?: string | null;
  description?: string | null;
}

export interface CreditGrantRow {
  id: string;
  organizationId: string;
  amount: number;
  remaining: number;
  category: GrantCategory;
  priority: number;
  expiresAt: Date | null;
  grantedAt: Date;
  voidedAt: Date | null;
  reference: string | null;
  description: string;
}

export const DEFAULT_GRANT_PRIORITY = 50;
const DESCRIPTIONS: Record<GrantCategory, string> = {
  PURCHASED: 'Purchased credits',
  PROMOTIONAL: 'Promotional credits',
  ADJUSTMENT: 'Credit adjustment',
};

// A lost race for a row lock or a unique key is retried: the work is the same and the transaction saw nothing.
const RETRIED = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

/**
 * Runs `work` in a transaction, again (up to three times) when PostgreSQL chose it as a deadlock or serialization
 * victim. `db` is the data source's manager, or a transaction's: then `work` runs in a savepoint of it (the demo seed
 * writes its whole history in one transaction).
 */
export async function inTransaction<T>(db: EntityManager, work: (tx: Queryable) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx));
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
      if (attempt >= ATTEMPTS || !code || !RETRIED.has(code)) throw error;
    }
  }
}

export class LedgerService {
  /** `db` is the data source's manager, or a transaction's when the caller groups several changes. */
  constructor(private readonly db: EntityManager) {}

  /** Opens the organization's account under lock, runs `work`, writes what it appended: one transaction. */
  transact<T>(organizationId: string, actor: LedgerActor, at: Date, work: (account: LockedAccount, tx: Queryable) => Promise<T>): Promise<T> {
    return inTransaction(this.db, async (tx) => {
      const account = await LockedAccount.open(tx, organizationId, at, actor);
      const result = await work(account, tx);
      await account.close();
      return result;
    });
  }

  /** Adds a grant and its ledger entry (GRANT, or ADJUSTMENT for the ADJUSTMENT category). */
  async grant(terms: GrantTerms, actor: LedgerActor, at = new Date()): Promise<CreditGrantRow> {
    if (!Number.isSafeInteger(terms.amount) || terms.amount <= 0) throw badInput('`amount` must be a whole number of credits above 0.', 'amount');
    if (terms.amount > MAX_GRANT_AMOUNT) throw badInput(`One grant carries at most ${MAX_GRANT_AMOUNT} credits.`, 'amount');
    const priority = terms.priority ?? DEFAULT_GRANT_PRIORITY;
    if (!Number.isInteger(priority) || priority < 0 || priority > 100) throw badInput('`priority` is a whole number from 0 (spent first) to 100.', 'priority');
    if (terms.expiresAt && terms.expiresAt <= at) throw badInput('`expiresAt` must be in the future.', 'expiresAt');
    const description = terms.description ?? DESCRIPTIONS[terms.category];
    return this.transact(terms.organizationId, actor, at, async (account, tx) => {
      const grant = {
        id: newId('grt'),
        category: terms.category,
        priority,
        expiresAt: terms.expiresAt ?? null,
        grantedAt: at,
        remaining: 0,
        amount: terms.amount,
      };
      account.addGrant(grant, { kind: terms.category === 'ADJUSTMENT' ? 'ADJUSTMENT' : 'GRANT', description, reference: terms.reference ?? null });
      await tx.query(
        `INSERT INTO credit_grants (id, organization_id, amount, remaining, category, priority, expires_at, granted_at, created_at, reference, description, actor_type, actor_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12)`,
        [grant.id, terms.organizationId, grant.amount, grant.remaining, grant.category, priority, grant.expiresAt, at, terms.reference ?? null, description, actor.type, actor.id],
      );
      return {
        id: grant.id,
        organizationId: terms.organizationId,
        amount: grant.amount,
        remaining: grant.remaining,
        category: grant.category,
        priority,
        expiresAt: grant.expiresAt,
        grantedAt: at,
        voidedAt: null,
        reference: terms.reference ?? null,
        description,
      };
    });
  }

  /** The organization a grant belongs to: its account is the one to lock. */
  private async organizationOfGrant(grantId: string): Promise<string | null> {
    const [row] = await this.db.query('SELECT organization_id FROM credit_grants WHERE id = $1', [grantId]);
    return row?.organization_id ?? null;
  }

  async grantById(grantId: string): Promise<CreditGrantRow | null> {
    const [row] = await this.db.query(
      `SELECT id, organization_id, amount::text, remaining::text, category, priority, expires_at, granted_at, voided_at, reference, description
         FROM credit_grants WHERE id = $1`,
      [grantId],
    );
    if (!row) return null;
    return {
      id: row.id,
      organizationId: row.organization_id,
      amount: Number(row.amount),
      remaining: Number(row.remaining),
      category: row.category,
      priority: row.priority,
      expiresAt: row.expires_at,
      grantedAt: row.granted_at,
      voidedAt: row.voided_at,
      reference: row.reference,
      description: row.description,
    };
  }

  /** Voids a grant: what is left of it leaves the balance as a REVERSAL entry; what was already spent stays spent. */
  async voidGrant(grantId: string, reason: string | null, actor: LedgerActor, at = new Date()): Promise<CreditGrantRow> {
    const organizationId = await this.organizationOfGrant(grantId);
    if (!organizationId) throw notFound('Credit grant');
    await this.transact(organizationId, actor, at, async (account, tx) => {
      const [grant] = await tx.query('SELECT voided_at FROM credit_grants WHERE id = $1', [grantId]);
      if (grant.voided_at) throw new AppError(ErrorCode.CONFLICT, 'This credit grant is already voided.', { field: 'grantId' });
      await account.removeGrant(grantId, reason ?? 'Credit grant voided', null);
      await tx.query('UPDATE credit_grants SET voided_at = $2 WHERE id = $1', [grantId, at]);
    });
    return (await this.grantById(grantId))!;
  }

  /** Sets (or clears, with null) the low-balance threshold; crossing it either way raises its alert at once. */
  async setLowBalanceThreshold(organizationId: string, threshold: number | null, actor: LedgerActor, at = new Date()): Promise<void> {
    if (threshold !== null && (!Number.isSafeInteger(threshold) || threshold < 0 || threshold > MAX_GRANT_AMOUNT)) {
      throw badInput(`\`lowBalanceThreshold\` must be a whole number of credits from 0 to ${MAX_GRANT_AMOUNT}, or null for none.`, 'lowBalanceThreshold');
    }
    await this.transact(organizationId, actor, at, async (account) => account.setLowBalanceThreshold(threshold));
  }

  /** How far below zero the balance may go (0: never). Lowering it under a debt already there refuses new debits until repaid. */
  async setOverdraftLimit(organizationId: string, limit: number): Promise<void> {
    if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_OVERDRAFT_LIMIT) {
      throw badInput(`\`limit\` must be a whole number of credits from 0 to ${MAX_OVERDRAFT_LIMIT}.`, 'limit');
    }
    await inTransaction(this.db, async (tx) => {
      await LockedAccount.open(tx, organizationId, new Date(), SYSTEM_ACTOR).then((account) => account.close());
      await tx.query('UPDATE billing_accounts SET overdraft_limit = $2 WHERE organization_id = $1', [organizationId, limit]);
    });
  }

  /** Writes the expiry entries of grants whose time has come (opening the account does it). */
  async expire(organizationId: string, at = new Date()): Promise<void> {
    await this.transact(organizationId, SYSTEM_ACTOR, at, async () => undefined);
  }

  /** Organizations with a grant past its expiry and not yet swept, oldest first. */
  async dueForExpiry(limit: number, at = new Date()): Promise<string[]> {
    const rows: { organization_id: string }[] = await this.db.query(
      'SELECT organization_id FROM billing_accounts WHERE next_expiry_at <= $1 ORDER BY next_expiry_at LIMIT $2',
      [at, limit],
    );
    return rows.map((row) => row.organization_id);
  }
}
