// Reads each organization's credit balance: grants minus usage, one statement per batch.
import { rowLoader, type Queryable } from '@orgapi/shared';
import type { CreditBalance } from './credit.type';

export function creditLoaders(db: Queryable) {
  return {
    balance: rowLoader<string, CreditBalance & { organizationId: string }>(
      async (organizationIds) => {
        const rows: { organization_id: string; granted: string; used: string }[] = await db.query(
          `SELECT o.id AS organization_id,
                  COALESCE((SELECT sum(amount) FROM credit_grants g WHERE g.organization_id = o.id), 0)::text AS granted,
                  COALESCE((SELECT sum(amount) FROM usage_events u WHERE u.organization_id = o.id), 0)::text AS used
             FROM unnest($1::text[]) AS o(id)`,
          [organizationIds],
        );
        return rows.map((row) => {
          const granted = Number(row.granted);
          const used = Number(row.used);
          return { organizationId: row.organization_id, granted, used, available: granted - used };
        });
      },
      (balance) => balance.organizationId,
    ),
  };
}
