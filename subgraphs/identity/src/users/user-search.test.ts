// Searching users: the search is a substring, its LIKE wildcards taken literally.
import { containsPattern } from './user-search';

describe('containsPattern', () => {
  it('matches the search anywhere', () => {
    expect(containsPattern('ann')).toBe('%ann%');
  });

  it('takes %, _ and \\ literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
