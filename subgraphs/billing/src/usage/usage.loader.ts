// Reads credit usage for many organizations, projects or environments, grouped by day, project, meter or mode: one statement per breakdown per batch.
import { groupLoader, loaderFamily, type Queryable } from '@orgapi/shared';
import { countedHours, wholeDays, type UsagePeriod } from './usage-period';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** What usage is grouped by: the column of usage_events (and usage_daily) that names it. */
export type UsageScope = 'organization_id' | 'project_id' | 'environment_id';

/** How a report breaks usage down: the whole period, or by UTC day, project, meter or environment mode. */
export type UsageBreakdown = 'total' | 'day' | 'project' | 'meter' | 'mode';

// Each breakdown's group, as SQL over the rows below (usage_daily's columns, with events' UTC day as `day`).
const GROUP_OF: Record<UsageBreakdown, string> = {
  total: `''`,
  day: `to_char(day, 'YYYY-MM-DD')`,
  project: 'project_id',
  meter: 'meter',
  mode: 'mode',
};

/**
 * What one organization, project or environment (`key`) used in one group of a breakdown: `group` is the day
 * (YYYY-MM-DD), the project ID, the meter name or the mode, and '' for the total. `quantity` counts units of every
 * meter in the group; `amount` is the credits charged (0 for SANDBOX usage).
 */
export interface UsageGroup {
  key: string;
  group: string;
  quantity: number;
  amount: number;
}

export function usageLoaders(db: Queryable) {
  return {
    usage: loaderFamily(
      ({ scope, period, breakdown }: { scope: UsageScope; period: UsagePeriod; breakdown: UsageBreakdown }) =>
        groupLoader<string, UsageGroup>(
          async (keys) => {
            // Whole UTC days come from the daily rollups and the hours at the period's edges from the hourly ones
            // (usage-period.ts: a report counts whole hours), so the cost does not grow with the events.
            const { start, end } = countedHours(period);
            const { firstWholeDay, endOfWholeDays } = wholeDays(period);
            const rows: { key: string; group: string; quantity: string; amount: string }[] = await db.query(
              `SELECT key, ${GROUP_OF[breakdown]} AS "group", sum(quantity)::text AS quantity, sum(amount)::text AS amount FROM (
                 SELECT ${scope} AS key, day, project_id, meter, mode, quantity, amount FROM usage_daily
                  WHERE ${scope} = ANY($1) AND day >= $2::date AND day < $3::date
                 UNION ALL
                 SELECT ${scope}, (hour AT TIME ZONE 'UTC')::date, project_id, meter, mode, quantity, amount FROM usage_hourly
                  WHERE ${scope} = ANY($1)
                    AND ((hour >= $4 AND hour < least($5, $6::timestamptz))
                      OR ($7::timestamptz >= $6::timestamptz AND hour >= greatest($4, $7::timestamptz) AND hour < $5))
               ) usage GROUP BY 1, 2`,
              [keys, isoDay(firstWholeDay), isoDay(endOfWholeDays), start, end, firstWholeDay, endOfWholeDays],
            );
            return rows.map((row) => ({ key: row.key, group: row.group, quantity: Number(row.quantity), amount: Number(row.amount) }));
          },
          (usage) => usage.key,
        ),
      ({ scope, period, breakdown }) => `${breakdown}:${scope}:${period.from.toISOString()}:${period.to.toISOString()}`,
    ),
  };
}
