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
        // Kept by triggers as grants and usage are recorded (migration UsageRollups): one row per organization.
        const rows: { organization_id: string; granted: string; used: string }[] = await db.query(
          `SELECT o.id AS organization_id, COALESCE(t.granted, 0)::text AS granted, COALESCE(t.used, 0)::text AS used
             FROM unnest($1::text[]) AS o(id) LEFT JOIN credit_totals t ON t.organization_id = o.id`,
          [organizationIds],
        );
        return rows.map((row) => ({ organizationId: row.organization_id, granted: Number(row.granted), used: Number(row.used) }));
      },
      (totals) => totals.organizationId,
    ),
  };
}
