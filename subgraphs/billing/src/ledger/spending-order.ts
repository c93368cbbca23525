// Which grants a debit draws from: the one spending order, as Stripe's credit grants apply it.
export type GrantCategory = 'PURCHASED' | 'PROMOTIONAL' | 'ADJUSTMENT';

export interface SpendableGrant {
  id: string;
  category: GrantCategory;
  /** 0–100, lower is spent first. */
  priority: number;
  expiresAt: Date | null;
  grantedAt: Date;
  /** Credits left on it; `draw` lowers it. */
  remaining: number;
}

export interface Draw {
  grantId: string;
  amount: number;
}

// Free credits go before credits someone paid for: an adjustment is neither, so it sits between.
const CATEGORY_ORDER: Record<GrantCategory, number> = { PROMOTIONAL: 0, ADJUSTMENT: 1, PURCHASED: 2 };

/** Priority, then soonest expiry (never-expiring last), then promotional before purchased, then oldest, then ID. */
export function bySpendingOrder(a: SpendableGrant, b: SpendableGrant): number {
  return (
    a.priority - b.priority ||
    (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
    CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] ||
    a.grantedAt.getTime() - b.grantedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Takes `amount` from `grants` (already in spending order), lowering their `remaining`. What the grants cannot cover
 * is `uncovered`: it goes into the overdraft, if the account allows one.
 */
export function draw(grants: SpendableGrant[], amount: number): { draws: Draw[]; uncovered: number } {
  const draws: Draw[] = [];
  let left = amount;
  for (const grant of grants) {
    if (left === 0) break;
    if (grant.remaining === 0) continue;
    const taken = Math.min(grant.remaining, left);
    grant.remaining -= taken;
    left -= taken;
    draws.push({ grantId: grant.id, amount: taken });
  }
  return { draws, uncovered: left };
}
