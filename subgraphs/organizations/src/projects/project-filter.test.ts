// Organization.projects' filter: what a person types becomes a trimmed search, or none.
import { projectFilter } from './project-filter';
import { MAX_PROJECT_SEARCH_LENGTH } from './project.input';

describe('projectFilter', () => {
  it('selects every live project when left out or empty', () => {
    expect(projectFilter(null)).toEqual({ archived: null, search: null });
    expect(projectFilter({ search: '   ' })).toEqual({ archived: null, search: null });
  });

  it('trims the search and keeps the archived flag', () => {
    expect(projectFilter({ archived: false, search: '  web app ' })).toEqual({ archived: false, search: 'web app' });
  });

  it('refuses a search longer than the limit, naming the field', () => {
    expect(() => projectFilter({ search: 'x'.repeat(MAX_PROJECT_SEARCH_LENGTH + 1) })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'filter.search' }) }),
    );
  });
});
