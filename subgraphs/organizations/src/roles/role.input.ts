// The inputs of createRole, updateRole and deleteRole, and their validation (role.service.ts applies it).
import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { displayName, text } from '@orgapi/shared';

@InputType({ description: 'A new custom role.' })
export class CreateRoleInput {
  @Field(() => ID, { description: 'The organization the role belongs to.' })
  organizationId!: string;

  @Field({ description: 'Lower-case handle, unique in the organization: a letter, then up to 39 letters, digits, `-` or `_`, e.g. `support`.' })
  key!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the role is for (at most 500 characters).' })
  description?: string | null;

  @Field(() => [String], { description: 'The permissions the role grants (keys of `Query.permissions`); you must hold each yourself.' })
  permissions!: string[];
}

@InputType({ description: 'Changes to a custom role; a field left out or null stays as it is.' })
export class UpdateRoleInput {
  @Field(() => ID, { description: 'The custom role to change.' })
  roleId!: string;

  @Field(() => String, { nullable: true, description: 'The new display name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The new description; an empty one removes it.' })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'The complete new set of permissions; it takes effect for every holder on their next request.' })
  permissions?: string[] | null;
}

@InputType({ description: 'The custom role to delete.' })
export class DeleteRoleInput {
  @Field(() => ID, { description: 'The custom role to delete; no member may hold it.' })
  roleId!: string;
}

export const MAX_ROLE_KEY_LENGTH = 40;

const roleKey = () =>
  text()
    .trim()
    .regex(
      new RegExp(`^[a-z][a-z0-9_-]{0,${MAX_ROLE_KEY_LENGTH - 1}}$`),
      `A role key is a lower-case letter followed by up to ${MAX_ROLE_KEY_LENGTH - 1} lower-case letters, digits, \`-\` or \`_\`, e.g. \`support\`.`,
    );
// An empty description is no description (stored as '').
const roleDescription = () => text().trim().max(500, 'A role description is at most 500 characters.');
const permissionKeys = () => z.array(text().trim()).max(100, 'A role lists at most 100 permissions.');

export const createRoleInput = z.object({ key: roleKey(), name: displayName(), description: roleDescription().nullish(), permissions: permissionKeys() });
export const updateRoleInput = z.object({ name: displayName().nullish(), description: roleDescription().nullish(), permissions: permissionKeys().nullish() });
