// Turns Organization.projects' filter into the rows it selects.
import { badInput } from '@orgapi/shared';
import { MAX_PROJECT_SEARCH_LENGTH, type ProjectFilterInput } from './project.input';
import { NO_PROJECT_FILTER, type ProjectFilter } from './project.loader';

export function projectFilter(input: ProjectFilterInput | null | undefined): ProjectFilter {
  if (!input) return NO_PROJECT_FILTER;
  const search = input.search?.trim() ?? '';
  if (search.length > MAX_PROJECT_SEARCH_LENGTH) throw badInput(`A project search is at most ${MAX_PROJECT_SEARCH_LENGTH} characters.`, 'filter.search');
  return { archived: input.archived ?? null, search: search || null };
}
