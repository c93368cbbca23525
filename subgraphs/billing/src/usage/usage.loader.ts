// Reads credit usage for many organizations, projects or environments, grouped by day, project, meter or mode: one statement per breakdown per batch.
import { derivedOnce, groupLoader, loaderFamily, type Queryable } from '@orgapi/shared';
import { rollupRanges, type UsagePeriod } from './usage-period';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** What usage is grouped by: the column of usage_events (and usage_daily) that names it. */
export type UsageScope = 'organization_id' | 'project_id' | 'environment_id';

/** How a report breaks usage down: the whole period, or by UTC day, project, meter or environment mode. */
export type UsageBreakdown = 'total' | 'day' | 'project' | 'meter' | 'mode';

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

/**
 * A total or per-day report: the rows of the totals per organization, project or environment (`key`), whole days
 * from the daily rows and the edge hours from the hourly ones, each branch one index-only range of the primary key.
 * They are summed here, not in SQL: a month is about 60 rows, and sorting and grouping them (with a day computed per
 * row) took PostgreSQL longer than finding them.
 */
const TOTALS_SQL = `
  SELECT key, bucket, quantity::text, amount::text FROM usage_totals
   WHERE key = ANY($1) AND NOT hourly AND bucket >= $2::date::timestamp AT TIME ZONE 'UTC' AND bucket < $3::date::timestamp AT TIME ZONE 'UTC'
  UNION ALL
  SELECT key, bucket, quantity::text, amount::text FROM usage_totals WHERE key = ANY($1) AND hourly AND bucket >= $4 AND bucket < $5
  UNION ALL
  SELECT key, bucket, quantity::text, amount::text FROM usage_totals WHERE key = ANY($1) AND hourly AND bucket >= $6 AND bucket < $7`;

/** Sums the totals' rows of each key by `group` (the UTC day, or '' for the whole period). */
function sumTotals(rows: readonly { key: string; bucket: Date; quantity: string; amount: string }[], breakdown: 'total' | 'day'): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  for (const row of rows) {
    const group = breakdown === 'day' ? isoDay(row.bucket) : '';
    const id = `${row.key} ${group}`;
    const sum = groups.get(id) ?? { key: row.key, group, quantity: 0, amount: 0 };
    sum.quantity += Number(row.quantity);
    sum.amount += Number(row.amount);
    groups.set(id, sum);
  }
  return [...groups.values()];
}

/**
 * Every report by project, by meter and by mode at once: one statement, grouped three ways. A project's or an
 * environment's come from the rollups per environment and meter (whole days daily, edge hours hourly): at most two
 * environments and a few meters a day. An organization's from its rollups per project and per meter and mode
 * (migrations/1734200000000-UsageBreakdowns.ts), which grow with its projects and meters, not with the events: for the
 * 200-project organization's 30 days, the rows per environment and meter were 2,066 at 10,000 events and 14,352 at
 * 100,000.
 */
const BREAKDOWNS_SQL = (scope: UsageScope) => (scope === 'organization_id' ? ORGANIZATION_BREAKDOWNS_SQL : ENVIRONMENT_BREAKDOWNS_SQL(scope));

/** The three ranges of a report (whole days, then the head's and the tail's hours) of a rollup keyed like usage_totals. */
const bucketed = (table: string, columns: string) => `
    SELECT organization_id AS key, ${columns}, quantity, amount FROM ${table}
     WHERE organization_id = ANY($1) AND NOT hourly AND bucket >= $2::date::timestamp AT TIME ZONE 'UTC' AND bucket < $3::date::timestamp AT TIME ZONE 'UTC'
    UNION ALL
    SELECT organization_id, ${columns}, quantity, amount FROM ${table} WHERE organization_id = ANY($1) AND hourly AND bucket >= $4 AND bucket < $5
    UNION ALL
    SELECT organization_id, ${columns}, quantity, amount FROM ${table} WHERE organization_id = ANY($1) AND hourly AND bucket >= $6 AND bucket < $7`;

const ORGANIZATION_BREAKDOWNS_SQL = `
  SELECT key, 'project' AS breakdown, project_id AS "group", sum(quantity)::text AS quantity, sum(amount)::text AS amount
    FROM (${bucketed('usage_project_totals', 'project_id')}) usage GROUP BY key, project_id
  UNION ALL
  SELECT key, CASE WHEN GROUPING(meter) = 0 THEN 'meter' ELSE 'mode' END, COALESCE(meter, mode), sum(quantity)::text, sum(amount)::text
    FROM (${bucketed('usage_meter_totals', 'meter, mode')}) usage GROUP BY GROUPING SETS ((key, meter), (key, mode))`;

const ENVIRONMENT_BREAKDOWNS_SQL = (scope: Exclude<UsageScope, 'organization_id'>) => `
  SELECT key,
         CASE WHEN GROUPING(project_id) = 0 THEN 'project' WHEN GROUPING(meter) = 0 THEN 'meter' ELSE 'mode' END AS breakdown,
         COALESCE(project_id, meter, mode::text) AS "group", sum(quantity)::text AS quantity, sum(amount)::text AS amount FROM (
    SELECT ${scope} AS key, project_id, meter, mode, quantity, amount FROM usage_daily
     WHERE ${scope} = ANY($1) AND day >= $2::date AND day < $3::date
    UNION ALL
    SELECT ${scope}, project_id, meter, mode, quantity, amount FROM usage_hourly WHERE ${scope} = ANY($1) AND hour >= $4 AND hour < $5
    UNION ALL
    SELECT ${scope}, project_id, meter, mode, quantity, amount FROM usage_hourly WHERE ${scope} = ANY($1) AND hour >= $6 AND hour < $7
  ) usage GROUP BY GROUPING SETS ((key, project_id), (key, meter), (key, mode))`;

type BreakdownGroup = UsageGroup & { breakdown: 'project' | 'meter' | 'mode' };

export function usageLoaders(db: Queryable) {
  const parametersOf = (keys: readonly string[], period: UsagePeriod) => {
    // Whole UTC days come from the daily rollups and the hours at the period's edges from the hourly ones
    // (usage-period.ts: a report counts whole hours), so the cost does not grow with the events.
    const { days, headHours, tailHours } = rollupRanges(period);
    return [keys, isoDay(days.from), isoDay(days.to), headHours.from, headHours.to, tailHours.from, tailHours.to];
  };
  // By milliseconds: formatting two ISO dates for every entity's lookup was 1.1% of billing's samples (the overview).
  const periodKey = (scope: UsageScope, period: UsagePeriod) => `${scope}:${period.from.getTime()}:${period.to.getTime()}`;
  const breakdowns = loaderFamily(
    ({ scope, period }: { scope: UsageScope; period: UsagePeriod }) =>
      groupLoader<string, BreakdownGroup>(
        async (keys) => {
          const rows: { key: string; breakdown: BreakdownGroup['breakdown']; group: string; quantity: string; amount: string }[] = await db.query(
            BREAKDOWNS_SQL(scope),
            parametersOf(keys, period),
          );
          return derivedOnce(rows, 'breakdowns', () => rows.map((row) => ({ ...row, quantity: Number(row.quantity), amount: Number(row.amount) })));
        },
        (usage) => usage.key,
      ),
    ({ scope, period }) => periodKey(scope, period),
  );
  return {
    usage: loaderFamily(
      ({ scope, period, breakdown }: { scope: UsageScope; period: UsagePeriod; breakdown: UsageBreakdown }) =>
        groupLoader<string, UsageGroup>(
          async (keys) => {
            if (breakdown === 'total' || breakdown === 'day') {
              const rows = (await db.query(TOTALS_SQL, parametersOf(keys, period))) as Parameters<typeof sumTotals>[0];
              return derivedOnce(rows, breakdown, () => sumTotals(rows, breakdown));
            }
            const groups = await breakdowns({ scope, period }).loadMany(keys);
            return groups.flatMap((group) => {
              if (group instanceof Error) throw group;
              return group.filter((usage) => usage.breakdown === breakdown);
            });
          },
          (usage) => usage.key,
        ),
      ({ scope, period, breakdown }) => `${breakdown}:${periodKey(scope, period)}`,
    ),
  };
}
