// Searching with LIKE: the search is a substring, its wildcards taken literally.
import { containsPattern } from './like-pattern';

describe('containsPattern', () => {
  it('matches the search anywhere', () => {
    expect(containsPattern('ann')).toBe('%ann%');
  });

  it('takes %, _ and \\ literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
