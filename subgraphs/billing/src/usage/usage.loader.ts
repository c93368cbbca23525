// Reads credit usage per UTC day for many organizations, projects or environments, one statement per batch.
import { groupLoader, loaderFamily, type Queryable } from '@orgapi/shared';
import type { UsagePeriod } from './usage-period';

/** What usage is grouped by: the column of usage_events that names it. */
export type UsageScope = 'organization_id' | 'project_id' | 'environment_id';

/** Credits one organization, project or environment (`key`) used on one UTC day. */
export interface DailyUsage {
  key: string;
  date: string;
  amount: number;
}

export function usageLoaders(db: Queryable) {
  return {
    usageByDay: loaderFamily(
      ({ scope, period }: { scope: UsageScope; period: UsagePeriod }) =>
        groupLoader<string, DailyUsage>(
          async (keys) => {
            const rows: { key: string; date: string; amount: string }[] = await db.query(
              `SELECT ${scope} AS key, to_char((occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS date, sum(amount)::text AS amount
                 FROM usage_events
                WHERE ${scope} = ANY($1) AND occurred_at >= $2 AND occurred_at < $3
                GROUP BY 1, 2`,
              [keys, period.from, period.to],
            );
            return rows.map((row) => ({ key: row.key, date: row.date, amount: Number(row.amount) }));
          },
          (usage) => usage.key,
        ),
      ({ scope, period }) => `${scope}:${period.from.toISOString()}:${period.to.toISOString()}`,
    ),
  };
}
