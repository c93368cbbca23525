// The Role API type (a built-in or custom role of an organization), the permission catalogue, and what deleteRole answers.
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime, type Permission, type Role as BuiltInRole } from '@orgapi/shared';
import { MembershipRole } from '../memberships/membership.type';

@ObjectType({
  simpleResolvers: true,
  description: 'A named set of permissions a member holds in an organization: one of the five built-in roles, or a custom role the organization defined.',
})
export class Role {
  @Field(() => ID, { description: 'Opaque ID: `role_owner`, `role_admin`, `role_billing`, `role_member`, `role_viewer` for the built-in roles, `role_` and a sortable suffix for custom ones.' })
  id!: string;

  @Field({ description: 'Lower-case handle, unique in the organization among built-in and custom roles, e.g. `support`; `owner` … for the built-in roles.' })
  key!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the role is for; null when none was given.' })
  description!: string | null;

  @Field(() => [String], { description: 'The permissions the role grants (keys of `Query.permissions`), in the order of the permission matrix.' })
  permissions!: readonly Permission[];

  @Field({ description: 'True for the five built-in roles, which cannot be changed or deleted.' })
  builtIn!: boolean;

  @Field(() => MembershipRole, { nullable: true, description: 'The built-in role this is; null for a custom role.' })
  builtInRole!: BuiltInRole | null;

  @Field(() => DateTime, { nullable: true, description: 'When the custom role was created; null for a built-in role.' })
  createdAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When the custom role was last changed; null for a built-in role.' })
  updatedAt!: Date | null;

  // Not in the schema: the organization the role was read in (a built-in role is read in each), for memberCount.
  organizationId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A permission of the matrix, which roles grant: what a role editor offers.' })
export class PermissionDescription {
  @Field({ description: 'The permission key, e.g. `billing:read`.' })
  key!: string;

  @Field({ description: 'What the permission allows, in words for a person.' })
  description!: string;

  @Field({ description: 'True for the permissions only owners hold (`owners:manage`, `organization:delete`): no custom role can grant them.' })
  ownerOnly!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'What deleteRole did.' })
export class DeleteRolePayload {
  @Field(() => ID, { description: 'The deleted role, which no longer resolves.' })
  roleId!: string;

  @Field(() => ID, { description: 'The organization it belonged to.' })
  organizationId!: string;
}
