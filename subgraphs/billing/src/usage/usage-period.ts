// The period a usage report covers: validated, and split into the UTC days a chart shows.
import { badInput } from '@orgapi/shared';

export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

export interface UsagePeriod {
  from: Date;
  to: Date;
}

/** Usage is reported for the half-open period [from, to), at most a year long. */
export function usagePeriod(from: Date, to: Date): UsagePeriod {
  if (!(from < to)) throw badInput('`to` must be later than `from`.', 'to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw badInput(`A usage period is at most ${MAX_PERIOD_DAYS} days long.`, 'to');
  }
  return { from, to };
}

/** Every UTC day (YYYY-MM-DD) that overlaps the period, in order. */
export function daysOf(period: UsagePeriod): string[] {
  const days: string[] = [];
  const first = Math.floor(period.from.getTime() / DAY_MS) * DAY_MS;
  for (let day = first; day < period.to.getTime(); day += DAY_MS) days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

/**
 * The whole UTC days inside the period, as [firstWholeDay, endOfWholeDays): the first midnight at or after `from`
 * and the last midnight at or before `to`. Within one day, endOfWholeDays comes before firstWholeDay: no whole day.
 */
export function wholeDays(period: UsagePeriod): { firstWholeDay: Date; endOfWholeDays: Date } {
  return {
    firstWholeDay: new Date(Math.ceil(period.from.getTime() / DAY_MS) * DAY_MS),
    endOfWholeDays: new Date(Math.floor(period.to.getTime() / DAY_MS) * DAY_MS),
  };
}
