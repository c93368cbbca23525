// Granting credits, and an organization's balance from its totals. Knows nothing of GraphQL.
import type { EntityManager } from 'typeorm';
import { newId } from '@orgapi/shared';
import type { CreditBalance } from './credit.type';
import type { CreditTotals } from './credit.loader';

export interface CreditGrant {
  organizationId: string;
  /** Whole credits, more than 0. */
  amount: number;
  /** Why the credits were granted, for the people reading the ledger. */
  reason: string;
  grantedAt: Date;
}

export class CreditService {
  /** `db` is the data source's manager, or a transaction's when the caller groups several writes. */
  constructor(private readonly db: EntityManager) {}

  async hasGrants(organizationId: string): Promise<boolean> {
    const [grant] = await this.db.query('SELECT 1 FROM credit_grants WHERE organization_id = $1 LIMIT 1', [organizationId]);
    return Boolean(grant);
  }

  async grant(grant: CreditGrant): Promise<void> {
    await this.db.query('INSERT INTO credit_grants (id, organization_id, amount, reason, granted_at) VALUES ($1, $2, $3, $4, $5)', [
      newId('grt'),
      grant.organizationId,
      grant.amount,
      grant.reason,
      grant.grantedAt,
    ]);
  }

  /** What is left is what was granted minus what was used; it goes negative when usage ran past the grants. */
  balance(totals: CreditTotals | null): CreditBalance {
    const granted = totals?.granted ?? 0;
    const used = totals?.used ?? 0;
    return { available: granted - used, granted, used };
  }
}
