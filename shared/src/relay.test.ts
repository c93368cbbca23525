// Back-off between delivery attempts: doubling from the base, never more than an hour apart.
import { retryDelaySeconds } from './relay';

describe('retryDelaySeconds', () => {
  it('waits the base after the first failure and doubles after each further one', () => {
    expect([1, 2, 3, 4, 5].map((failures) => retryDelaySeconds(failures, 30))).toEqual([30, 60, 120, 240, 480]);
  });

  it('never waits more than an hour', () => {
    expect(retryDelaySeconds(8, 30)).toBe(3600);
    expect(retryDelaySeconds(50, 30)).toBe(3600);
  });

  it('takes fractions of a second as the base (tests retry quickly)', () => {
    expect(retryDelaySeconds(2, 0.25)).toBe(0.5);
  });
});
