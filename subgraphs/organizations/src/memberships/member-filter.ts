// Turns Organization.members' filter into the rows it selects: a role, a custom role, and the members identity finds
// for a search by name or email (one call per members field).
import { badInput, isId } from '@orgapi/shared';
import type { OrganizationsContext } from '../context';
import { builtInRoleOfId } from '../roles/role-rules';
import { MAX_MEMBER_SEARCH_LENGTH, type MemberFilter as MemberFilterInput } from './membership.input';
import { NO_MEMBER_FILTER, type MemberFilter } from './membership.loader';

// An ID that names no role of any organization: a filter by it selects nobody, as one by another organization's role does.
const NO_ROLE = 'role_none';

export async function memberFilter(context: OrganizationsContext, organizationId: string, input: MemberFilterInput | null | undefined): Promise<MemberFilter> {
  if (!input) return NO_MEMBER_FILTER;
  const filter: MemberFilter = { ...NO_MEMBER_FILTER, role: input.role ?? null };
  if (input.roleId != null) {
    const builtIn = builtInRoleOfId(input.roleId);
    // Two conditions on the role must both hold: a built-in roleId and a different role select nobody.
    if (builtIn && filter.role !== null && filter.role !== builtIn) filter.customRoleId = NO_ROLE;
    else if (builtIn) filter.role = builtIn;
    else filter.customRoleId = isId(input.roleId, 'role') ? input.roleId : NO_ROLE;
  }
  const search = input.search?.trim() ?? '';
  if (search.length > MAX_MEMBER_SEARCH_LENGTH) throw badInput(`A member search is at most ${MAX_MEMBER_SEARCH_LENGTH} characters.`, 'filter.search');
  if (search) {
    const members = await context.loaders.memberUserIds.load(organizationId);
    filter.userIds = await context.memberSearch(
      search,
      members.map((member) => member.userId),
    );
  }
  return filter;
}
