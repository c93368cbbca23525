// Reads each organization's credit totals (granted and used), one statement per batch.
import { rowLoader, type Queryable } from '@orgapi/shared';

/** All credits ever granted to an organization, and all it ever used. */
export interface CreditTotals {
  organizationId: string;
  granted: number;
  used: number;
}

export function creditLoaders(db: Queryable) {
  return {
    creditTotals: rowLoader<string, CreditTotals>(
      async (organizationIds) => {
        const rows: { organization_id: string; granted: string; used: string }[] = await db.query(
          `SELECT o.id AS organization_id,
                  COALESCE((SELECT sum(amount) FROM credit_grants g WHERE g.organization_id = o.id), 0)::text AS granted,
                  COALESCE((SELECT sum(amount) FROM usage_events u WHERE u.organization_id = o.id), 0)::text AS used
             FROM unnest($1::text[]) AS o(id)`,
          [organizationIds],
        );
        return rows.map((row) => ({ organizationId: row.organization_id, granted: Number(row.granted), used: Number(row.used) }));
      },
      (totals) => totals.organizationId,
    ),
  };
}
