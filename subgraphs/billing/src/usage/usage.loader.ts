// Reads credit usage per UTC day for many organizations, projects or environments, one statement per batch.
import { groupLoader, loaderFamily, type Queryable } from '@orgapi/shared';
import { wholeDays, type UsagePeriod } from './usage-period';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** What usage is grouped by: the column of usage_events (and usage_daily) that names it. */
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
            // Whole UTC days come from the daily rollups; only the parts of days at the period's edges (a period need
            // not start or end at midnight) are summed from raw events, so the cost does not grow with the events.
            const { firstWholeDay, endOfWholeDays } = wholeDays(period);
            const rows: { key: string; date: string; amount: string }[] = await db.query(
              `SELECT key, to_char(day, 'YYYY-MM-DD') AS date, sum(amount)::text AS amount FROM (
                 SELECT ${scope} AS key, day, amount FROM usage_daily
                  WHERE ${scope} = ANY($1) AND day >= $4::date AND day < $5::date
                 UNION ALL
                 SELECT ${scope}, (occurred_at AT TIME ZONE 'UTC')::date, amount FROM usage_events
                  WHERE ${scope} = ANY($1)
                    AND ((occurred_at >= $2 AND occurred_at < least($3, $6::timestamptz))
                      OR ($7::timestamptz >= $6::timestamptz AND occurred_at >= greatest($2, $7::timestamptz) AND occurred_at < $3))
               ) usage GROUP BY key, day`,
              [keys, period.from, period.to, isoDay(firstWholeDay), isoDay(endOfWholeDays), firstWholeDay, endOfWholeDays],
            );
            return rows.map((row) => ({ key: row.key, date: row.date, amount: Number(row.amount) }));
          },
          (usage) => usage.key,
        ),
      ({ scope, period }) => `${scope}:${period.from.toISOString()}:${period.to.toISOString()}`,
    ),
  };
}
