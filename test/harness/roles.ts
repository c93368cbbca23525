// Custom roles, arranged through the API: creating one and giving it to a member.
import type { Api } from './api';
import { expectOk } from './expect';
import { unique } from './unique';

const CREATE_ROLE = 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id key permissions } }';
const ASSIGN_ROLE = 'mutation($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id role permissions customRole { id } } }';

/** Asks, as `user`, to create a custom role; the answer may be a refusal. */
export const attemptCreateRole = (api: Api, user: { token: string }, input: { organizationId: string; key: string; name: string; description?: string | null; permissions: string[] }) =>
  api.request<{ createRole: { id: string; key: string; permissions: string[] } }>(CREATE_ROLE, { input }, user.token);

/** A new custom role with these permissions and a fresh key, created by `user`; its ID. */
export async function createRole(api: Api, user: { token: string }, organizationId: string, permissions: string[], key = unique('role')): Promise<string> {
  return expectOk(await attemptCreateRole(api, user, { organizationId, key, name: `Role ${key}`, permissions })).createRole.id;
}

/** Asks, as `user`, to give the membership the role `roleId` (built-in or custom); the answer may be a refusal. */
export const attemptAssignRole = (api: Api, user: { token: string }, membershipId: string, roleId: string) =>
  api.request<{ updateMemberRole: { id: string; role: string; permissions: string[]; customRole: { id: string } | null } }>(ASSIGN_ROLE, { input: { membershipId, roleId } }, user.token);

/** Gives the membership the role `roleId`, as `user`. */
export async function assignRole(api: Api, user: { token: string }, membershipId: string, roleId: string): Promise<void> {
  expectOk(await attemptAssignRole(api, user, membershipId, roleId));
}
