// Organization.roles, Role fields, the permission catalogue, and createRole, updateRole and deleteRole.
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isId, ListSize, notFound, PERMISSIONS, requireViewer } from '@orgapi/shared';
import { authorize, authorizeOrganization } from '../access';
import { actorOf } from '../audit/actor';
import type { OrganizationsContext } from '../context';
import { Organization } from '../organizations/organization.type';
import { CreateRoleInput, DeleteRoleInput, UpdateRoleInput } from './role.input';
import { builtInRolesIn } from './role.loader';
import { builtInRoleOfId, OWNER_ONLY_PERMISSIONS } from './role-rules';
import { DeleteRolePayload, PermissionDescription, Role } from './role.type';

// The five built-in roles and the 20 custom ones an organization may have by default.
const ROLES_LIST_SIZE = 25;

@Resolver(() => Role)
export class RoleResolver {
  @FieldResolver(() => Int, { description: 'How many members hold this role in the organization.' })
  async memberCount(@Root() role: Role, @Ctx() context: OrganizationsContext): Promise<number> {
    const counts = await context.loaders.roleMemberCounts.load(role.organizationId);
    return counts.find((count) => count.roleId === role.id)?.count ?? 0;
  }

  @Query(() => [PermissionDescription], {
    description: 'Every permission a role can grant, in the order of the permission matrix: what a role editor offers. The same for everyone; needs sign-in.',
  })
  @ListSize(Object.keys(PERMISSIONS).length)
  permissions(@Ctx() context: OrganizationsContext): PermissionDescription[] {
    requireViewer(context);
    return Object.entries(PERMISSIONS).map(([key, description]) => ({ key, description, ownerOnly: (OWNER_ONLY_PERMISSIONS as readonly string[]).includes(key) }));
  }

  @Mutation(() => Role, {
    description:
      'Creates a custom role: a named set of permissions members can be given (updateMemberRole with `roleId`). Needs `roles:manage`, and you must hold every permission you put in it. At most 20 per organization (QUOTA_EXCEEDED).',
  })
  async createRole(@Arg('input', () => CreateRoleInput, { description: 'The new role.' }) input: CreateRoleInput, @Ctx() context: OrganizationsContext): Promise<Role> {
    await authorizeOrganization(context, input.organizationId, 'roles:manage');
    return context.roles.create(actorOf(context), input.organizationId, input);
  }

  @Mutation(() => Role, {
    description:
      "Changes a custom role's name, description or permissions; its holders get the new permissions on their next request, at every service. Needs `roles:manage` and every permission the role holds before and after. Built-in roles can't be changed.",
  })
  async updateRole(@Arg('input', () => UpdateRoleInput, { description: 'The role and what to change.' }) input: UpdateRoleInput, @Ctx() context: OrganizationsContext): Promise<Role> {
    await authorizeRole(context, input.roleId);
    return context.roles.update(actorOf(context), input.roleId, input);
  }

  @Mutation(() => DeleteRolePayload, {
    description:
      "Deletes a custom role no member holds (CONFLICT while some do: give them another role first). Needs `roles:manage` and every permission the role holds. Built-in roles can't be deleted.",
  })
  async deleteRole(
    @Arg('input', () => DeleteRoleInput, { description: 'The role to delete.' }) input: DeleteRoleInput,
    @Ctx() context: OrganizationsContext,
  ): Promise<DeleteRolePayload> {
    await authorizeRole(context, input.roleId);
    const role = await context.roles.delete(actorOf(context), input.roleId);
    return { roleId: role.id, organizationId: role.organizationId };
  }
}

/**
 * Checks the caller holds roles:manage where a custom role lives: NOT_FOUND for another organization's role, exactly
 * as for a made-up one. A built-in role's ID passes to the service, which refuses to change it.
 */
async function authorizeRole(context: OrganizationsContext, roleId: string): Promise<void> {
  requireViewer(context);
  if (builtInRoleOfId(roleId)) return;
  const role = isId(roleId, 'role') ? await context.loaders.role.load(roleId) : null;
  if (!role) throw notFound('Role');
  await authorize(context, role.organizationId, 'roles:manage', 'Role');
}

@Resolver(() => Organization)
export class OrganizationRolesResolver {
  @FieldResolver(() => [Role], { description: "The roles members can hold here: the five built-in roles, then the organization's custom roles, oldest first. Needs `members:read`." })
  @ListSize(ROLES_LIST_SIZE)
  async roles(@Root() organization: Organization, @Ctx() context: OrganizationsContext): Promise<Role[]> {
    await authorize(context, organization.id, 'members:read');
    return [...builtInRolesIn(organization.id), ...(await context.loaders.customRoles.load(organization.id))];
  }
}
