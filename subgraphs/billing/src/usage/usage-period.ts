// The period a usage report covers: validated, widened to the whole UTC hours it touches, and split into the UTC
// days a chart shows.
import { badInput } from '@orgapi/shared';

// A year and a month, so a yearly report fits whatever day it starts on; the bound keeps the rollup rows a report reads few.
export const MAX_PERIOD_DAYS = 400;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface UsagePeriod {
  from: Date;
  to: Date;
}

/** Usage is reported for the half-open period [from, to), at most MAX_PERIOD_DAYS long. */
export function usagePeriod(from: Date, to: Date): UsagePeriod {
  if (!(from < to)) throw badInput('`to` must be later than `from`.', 'to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw badInput(`A usage period is at most ${MAX_PERIOD_DAYS} days long.`, 'to');
  }
  return { from, to };
}

// The days of the periods asked for lately, by their first and last day: a dashboard asks for the same days for every
// project it shows (the overview: the organization and each of its projects), and writing 30 dates was 3.1% of
// billing's samples for the demo-sized overview (node --cpu-prof). Periods that end at another moment of the same day
// share their days. A handful of entries: when full, forgotten all at once.
const KNOWN_DAYS = 64;
const knownDays = new Map<string, readonly string[]>();

/** Every UTC day (YYYY-MM-DD) that overlaps the period, in order; the same frozen list for periods over the same days. */
export function daysOf(period: UsagePeriod): readonly string[] {
  const first = Math.floor(period.from.getTime() / DAY_MS) * DAY_MS;
  const end = Math.ceil(period.to.getTime() / DAY_MS) * DAY_MS;
  const key = `${first}:${end}`;
  let days = knownDays.get(key);
  if (!days) {
    const list: string[] = [];
    for (let day = first; day < end; day += DAY_MS) list.push(new Date(day).toISOString().slice(0, 10));
    if (knownDays.size >= KNOWN_DAYS) knownDays.clear();
    knownDays.set(key, (days = Object.freeze(list)));
  }
  return days;
}

/**
 * The UTC hours a report counts, as [start, end): every hour that overlaps [from, to), in full. Reports read hourly and
 * daily rollups, never raw events, so their cost does not grow with the events; an hour is their finest grain. A
 * period that ends now counts the current hour's usage so far, which is what a dashboard wants.
 */
export function countedHours(period: UsagePeriod): { start: Date; end: Date } {
  return {
    start: new Date(Math.floor(period.from.getTime() / HOUR_MS) * HOUR_MS),
    end: new Date(Math.ceil(period.to.getTime() / HOUR_MS) * HOUR_MS),
  };
}

/**
 * The whole UTC days inside the counted hours, as [firstWholeDay, endOfWholeDays): the first midnight at or after
 * their start and the last midnight at or before their end. Within one day, endOfWholeDays comes before
 * firstWholeDay: no whole day. The hours outside come from the hourly rollups.
 */
export function wholeDays(period: UsagePeriod): { firstWholeDay: Date; endOfWholeDays: Date } {
  const { start, end } = countedHours(period);
  return {
    firstWholeDay: new Date(Math.ceil(start.getTime() / DAY_MS) * DAY_MS),
    endOfWholeDays: new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS),
  };
}

/** A half-open range [from, to): empty when they are equal. */
export interface Range {
  from: Date;
  to: Date;
}

/**
 * Which rollup rows a report reads: the whole days from the daily rollups, and the hours before the first and after
 * the last whole day from the hourly ones (at most 23 on each side). Each is one index range: no OR for the planner
 * to turn into a scan.
 */
export function rollupRanges(period: UsagePeriod): { days: Range; headHours: Range; tailHours: Range } {
  const { start, end } = countedHours(period);
  const { firstWholeDay, endOfWholeDays } = wholeDays(period);
  if (firstWholeDay >= endOfWholeDays) return { days: { from: start, to: start }, headHours: { from: start, to: end }, tailHours: { from: end, to: end } };
  return { days: { from: firstWholeDay, to: endOfWholeDays }, headHours: { from: start, to: firstWholeDay }, tailHours: { from: endOfWholeDays, to: end } };
}
