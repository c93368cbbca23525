// The usage period's rules, without a database: half-open, at most 400 days, split into UTC days.
import { countedHours, daysOf, MAX_PERIOD_DAYS, rollupRanges, usagePeriod, wholeDays } from './usage-period';

const at = (iso: string) => new Date(iso);
const DAY_MS = 86_400_000;

function refusal(from: Date, to: Date) {
  try {
    usagePeriod(from, to);
  } catch (error) {
    return { message: (error as Error).message, extensions: (error as { extensions?: unknown }).extensions };
  }
  throw new Error('the period was accepted');
}

it('a period includes `from` and ends before `to`: one ending at midnight leaves that day out', () => {
  expect(daysOf(usagePeriod(at('2026-11-01T00:00:00Z'), at('2026-11-03T00:00:00Z')))).toEqual(['2026-11-01', '2026-11-02']);
});

it('a period must end later than it starts', () => {
  const moment = at('2026-11-01T00:00:00Z');
  expect(refusal(moment, moment)).toEqual({ message: '`to` must be later than `from`.', extensions: { code: 'BAD_USER_INPUT', field: 'to' } });
  expect(refusal(moment, at('2026-10-31T00:00:00Z')).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
});

it(`a period is at most ${MAX_PERIOD_DAYS} days long`, () => {
  const from = at('2026-01-01T00:00:00Z');
  const longest = new Date(from.getTime() + MAX_PERIOD_DAYS * DAY_MS);
  expect(daysOf(usagePeriod(from, longest))).toHaveLength(MAX_PERIOD_DAYS);
  expect(refusal(from, new Date(longest.getTime() + 1))).toEqual({
    message: `A usage period is at most ${MAX_PERIOD_DAYS} days long.`,
    extensions: { code: 'BAD_USER_INPUT', field: 'to' },
  });
});

it('days are UTC days, whatever offset the period was given in', () => {
  // 23:30 in New York on 1 November is already 2 November in UTC.
  expect(daysOf(usagePeriod(at('2026-11-01T23:30:00-05:00'), at('2026-11-02T23:30:00-05:00')))).toEqual(['2026-11-02', '2026-11-03']);
});

it('a period starting mid-day includes that whole day, and the day it ends in', () => {
  expect(daysOf(usagePeriod(at('2026-11-01T12:00:00Z'), at('2026-11-03T12:00:00Z')))).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  expect(daysOf(usagePeriod(at('2026-11-01T12:00:00Z'), at('2026-11-01T12:00:00.001Z')))).toEqual(['2026-11-01']);
});

describe('countedHours', () => {
  it('widens the period to the whole UTC hours it overlaps', () => {
    expect(countedHours({ from: at('2026-11-01T10:20:00Z'), to: at('2026-11-01T12:00:00.001Z') })).toEqual({ start: at('2026-11-01T10:00:00Z'), end: at('2026-11-01T13:00:00Z') });
  });

  it('keeps a period that starts and ends on the hour as it is', () => {
    expect(countedHours({ from: at('2026-11-01T10:00:00Z'), to: at('2026-11-01T12:00:00Z') })).toEqual({ start: at('2026-11-01T10:00:00Z'), end: at('2026-11-01T12:00:00Z') });
  });
});

describe('wholeDays', () => {
  it('counts a day whole when the hours a period overlaps cover it', () => {
    expect(wholeDays({ from: at('2026-11-01T00:30:00Z'), to: at('2026-11-02T23:30:00Z') })).toEqual({ firstWholeDay: at('2026-11-01T00:00:00Z'), endOfWholeDays: at('2026-11-03T00:00:00Z') });
  });

  it('is the period itself when it runs midnight to midnight', () => {
    expect(wholeDays({ from: at('2026-11-01T00:00:00Z'), to: at('2026-11-03T00:00:00Z') })).toEqual({ firstWholeDay: at('2026-11-01T00:00:00Z'), endOfWholeDays: at('2026-11-03T00:00:00Z') });
  });

  it('leaves out the partial days at either edge', () => {
    expect(wholeDays({ from: at('2026-11-01T10:00:00Z'), to: at('2026-11-04T06:00:00Z') })).toEqual({ firstWholeDay: at('2026-11-02T00:00:00Z'), endOfWholeDays: at('2026-11-04T00:00:00Z') });
  });

  it('has none within one day, or across one midnight', () => {
    const within = wholeDays({ from: at('2026-11-01T10:00:00Z'), to: at('2026-11-01T14:00:00Z') });
    expect(within.endOfWholeDays < within.firstWholeDay).toBe(true);
    const across = wholeDays({ from: at('2026-11-01T10:00:00Z'), to: at('2026-11-02T14:00:00Z') });
    expect(across.firstWholeDay).toEqual(across.endOfWholeDays);
  });
});

describe('rollupRanges', () => {
  it('reads whole days from the daily rollups and the edge hours from the hourly ones', () => {
    expect(rollupRanges({ from: at('2026-11-01T10:20:00Z'), to: at('2026-11-04T05:10:00Z') })).toEqual({
      days: { from: at('2026-11-02T00:00:00Z'), to: at('2026-11-04T00:00:00Z') },
      headHours: { from: at('2026-11-01T10:00:00Z'), to: at('2026-11-02T00:00:00Z') },
      tailHours: { from: at('2026-11-04T00:00:00Z'), to: at('2026-11-04T06:00:00Z') },
    });
  });

  it('reads only hours when no whole day fits, and no hours when the period runs midnight to midnight', () => {
    expect(rollupRanges({ from: at('2026-11-01T10:00:00Z'), to: at('2026-11-02T05:00:00Z') })).toEqual({
      days: { from: at('2026-11-01T10:00:00Z'), to: at('2026-11-01T10:00:00Z') },
      headHours: { from: at('2026-11-01T10:00:00Z'), to: at('2026-11-02T05:00:00Z') },
      tailHours: { from: at('2026-11-02T05:00:00Z'), to: at('2026-11-02T05:00:00Z') },
    });
    const midnights = rollupRanges({ from: at('2026-11-01T00:00:00Z'), to: at('2026-11-03T00:00:00Z') });
    expect(midnights.headHours.from).toEqual(midnights.headHours.to);
    expect(midnights.tailHours.from).toEqual(midnights.tailHours.to);
  });
});

it('periods over the same UTC days share one frozen list of them, whatever moment of their last day they end', () => {
  const days = daysOf(usagePeriod(at('2026-11-01T10:00:00Z'), at('2026-11-03T08:00:00Z')));
  expect(days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  expect(Object.isFrozen(days)).toBe(true);
  expect(daysOf(usagePeriod(at('2026-11-01T00:00:00Z'), at('2026-11-03T23:59:59.999Z')))).toBe(days);
  expect(daysOf(usagePeriod(at('2026-11-01T00:00:00Z'), at('2026-11-04T00:00:00Z')))).toBe(days);
  expect(daysOf(usagePeriod(at('2026-11-01T00:00:00Z'), at('2026-11-04T00:00:00.001Z')))).toEqual([...days, '2026-11-04']);
  expect(daysOf(usagePeriod(at('2026-10-31T23:59:59Z'), at('2026-11-03T08:00:00Z')))).toEqual(['2026-10-31', ...days]);
});
