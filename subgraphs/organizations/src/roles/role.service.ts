// Creating, changing and deleting an organization's custom roles, under the organization's lock. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict, forbidden, isUniqueViolation, newId, notFound, parseInput, type Permission } from '@orgapi/shared';
import type { CallerActor } from '../audit/actor';
import { changes } from '../audit/audit-summary';
import { recordAudit } from '../audit/audit.service';
import { memberUnderLock } from '../memberships/membership.service';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { countOf, lockOrganization, quotaExceeded } from '../quotas';
import { createRoleInput, updateRoleInput } from './role.input';
import { ROLE_COLUMNS, toRole } from './role.loader';
import { builtInRoleOfId, lacking, permissionProblems, RESERVED_ROLE_KEYS } from './role-rules';
import type { Role } from './role.type';

/** The permission list of an input, refused as BAD_USER_INPUT when it names unknown or owner-only permissions. */
function validPermissions(keys: readonly string[]): Permission[] {
  const { unknown, ownerOnly } = permissionProblems(keys);
  if (unknown.length > 0) {
    throw badInput(`Unknown permission${unknown.length > 1 ? 's' : ''}: ${unknown.map((key) => `\`${key}\``).join(', ')}. Query \`permissions\` lists the ones a role can grant.`, 'permissions');
  }
  if (ownerOnly.length > 0) {
    throw badInput(
      `A custom role can't grant ${ownerOnly.map((key) => `\`${key}\``).join(' or ')}: ownership is the OWNER role. Make the member an owner instead.`,
      'permissions',
    );
  }
  return keys as Permission[];
}

/** Refuses, as FORBIDDEN, handing out permissions the caller does not hold ("nobody grants what they lack"). */
function checkMayGrant(held: readonly Permission[], wanted: readonly Permission[], what: string): void {
  const missing = lacking(held, wanted);
  if (missing.length > 0) throw forbidden(`You can't ${what}: it holds ${missing.map((key) => `\`${key}\``).join(', ')}, which your role does not.`);
}

/**
 * Where a role is still referenced, so it cannot be deleted: the members who hold it, and the pending invitations
 * (expired ones included: resending renews them) that offer it.
 */
export async function rolesInUse(tx: EntityManager, roleId: string): Promise<{ members: number; invitations: number }> {
  const [{ members, invitations }] = await tx.query(
    `SELECT (SELECT count(*)::int FROM memberships WHERE custom_role_id = $1) AS members,
            (SELECT count(*)::int FROM invitations WHERE custom_role_id = $1 AND status = 'PENDING') AS invitations`,
    [roleId],
  );
  return { members, invitations };
}

export class RoleService {
  constructor(
    private readonly db: DataSource,
    private readonly customRolesPerOrganization: number,
  ) {}

  /** Creates a custom role (the caller checked roles:manage), counting the organization's roles under its lock. */
  async create(actor: CallerActor, organizationId: string, input: unknown): Promise<Role> {
    const { key, name, description, permissions: keys } = parseInput(createRoleInput, input);
    const permissions = validPermissions(keys);
    if (RESERVED_ROLE_KEYS.includes(key)) throw conflict(`The key \`${key}\` belongs to a built-in role. Choose another.`, 'key');
    const limit = this.customRolesPerOrganization;
    try {
      return await this.db.transaction(async (tx) => {
        await lockOrganization(tx, organizationId);
        await this.checkCaller(tx, actor, organizationId, permissions, 'create a role like this', 'Organization');
        if ((await countOf(tx, 'roles', 'organization_id', organizationId)) >= limit) {
          throw quotaExceeded(`This organization has ${limit} custom roles, the most one organization may have. Delete one it no longer needs first.`, limit);
        }
        const [row] = await tx.query(
          `INSERT INTO roles (id, organization_id, key, name, description, permissions) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ROLE_COLUMNS}`,
          [newId('role'), organizationId, key, name, description ?? '', permissions],
        );
        const role = toRole(row);
        await recordAudit(tx, actor, { organizationId, action: 'role.created', target: { type: 'role', id: role.id }, after: { key, name, description: role.description, permissions: role.permissions } });
        return role;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'roles_organization_id_key_key')) throw conflict(`This organization already has a role with the key \`${key}\`. Choose another.`, 'key');
      throw error;
    }
  }

  /** Changes a custom role's name, description or permissions; the new permissions hold for every member on their next request. */
  async update(actor: CallerActor, roleId: string, input: unknown): Promise<Role> {
    refuseBuiltIn(roleId, 'changed');
    const change = parseInput(updateRoleInput, input);
    const permissions = change.permissions ? validPermissions(change.permissions) : null;
    return this.db.transaction(async (tx) => {
      const current = await this.lockRole(tx, roleId);
      const held = await this.checkCaller(tx, actor, current.organizationId, permissions ?? [], 'give a role these permissions');
      checkMayGrant(held, current.permissions, 'change this role');
      const next = {
        name: change.name ?? current.name,
        description: change.description ?? current.description,
        permissions: permissions ?? current.permissions,
      };
      // TypeORM answers an UPDATE with [rows, count]: read the row back instead.
      await tx.query('UPDATE roles SET name = $2, description = $3, permissions = $4, updated_at = now() WHERE id = $1', [roleId, next.name, next.description ?? '', next.permissions]);
      const [row] = await tx.query(`SELECT ${ROLE_COLUMNS} FROM roles WHERE id = $1`, [roleId]);
      const role = toRole(row);
      const summary = changes(
        { name: current.name, description: current.description, permissions: current.permissions },
        { name: role.name, description: role.description, permissions: role.permissions },
      );
      await recordAudit(tx, actor, { organizationId: role.organizationId, action: 'role.updated', target: { type: 'role', id: role.id }, before: { key: role.key, ...summary.before }, after: { key: role.key, ...summary.after } });
      return role;
    });
  }

  /** Deletes a custom role no member holds and no pending invitation offers (CONFLICT otherwise, saying how many and what to do). */
  async delete(actor: CallerActor, roleId: string): Promise<Role> {
    refuseBuiltIn(roleId, 'deleted');
    return this.db.transaction(async (tx) => {
      const role = await this.lockRole(tx, roleId);
      const held = await this.checkCaller(tx, actor, role.organizationId, [], 'delete this role');
      checkMayGrant(held, role.permissions, 'delete this role');
      const { members, invitations } = await rolesInUse(tx, roleId);
      if (members > 0) {
        throw conflict(
          `The role \`${role.key}\` is held by ${members === 1 ? '1 member' : `${members} members`}. Give ${members === 1 ? 'them' : 'each of them'} another role (updateMemberRole) first, then delete it.`,
          'roleId',
        );
      }
      if (invitations > 0) {
        throw conflict(
          `The role \`${role.key}\` is offered by ${invitations === 1 ? '1 pending invitation' : `${invitations} pending invitations`}. Revoke ${invitations === 1 ? 'it' : 'them'} (revokeInvitation) first, then delete it.`,
          'roleId',
        );
      }
      // Answered and revoked invitations keep no hold on the role: they forget which custom role they offered.
      await tx.query(`UPDATE invitations SET custom_role_id = NULL WHERE custom_role_id = $1 AND status <> 'PENDING'`, [roleId]);
      await tx.query('DELETE FROM roles WHERE id = $1', [roleId]);
      await recordAudit(tx, actor, {
        organizationId: role.organizationId,
        action: 'role.deleted',
        target: { type: 'role', id: role.id },
        before: { key: role.key, name: role.name, description: role.description, permissions: role.permissions },
      });
      return role;
    });
  }

  /** Locks the role's organization, then reads the role as it is under that lock. */
  private async lockRole(tx: EntityManager, roleId: string): Promise<Role> {
    const [located] = await tx.query(`SELECT organization_id FROM roles WHERE id = $1 AND ${IN_LIVE_ORGANIZATION}`, [roleId]);
    if (!located) throw notFound('Role');
    await lockOrganization(tx, located.organization_id as string);
    const [row] = await tx.query(`SELECT ${ROLE_COLUMNS} FROM roles WHERE id = $1`, [roleId]);
    if (!row) throw notFound('Role');
    return toRole(row);
  }

  /**
   * The caller's permissions as they are under the organization's lock (one whose role changed a moment ago acts with
   * the new one): roles:manage, and every permission of `granted`. Returns what they hold.
   */
  private async checkCaller(
    tx: EntityManager,
    actor: CallerActor,
    organizationId: string,
    granted: readonly Permission[],
    what: string,
    reached: 'Organization' | 'Role' = 'Role',
  ): Promise<readonly Permission[]> {
    const caller = await memberUnderLock(tx, organizationId, actor.userId);
    if (!caller) throw notFound(reached);
    if (!caller.permissions.includes('roles:manage')) throw forbidden('Your role does not allow roles:manage in this organization.');
    checkMayGrant(caller.permissions, granted, what);
    return caller.permissions;
  }
}

function refuseBuiltIn(roleId: string, done: 'changed' | 'deleted'): void {
  const builtIn = builtInRoleOfId(roleId);
  if (builtIn) {
    throw badInput(`The built-in ${builtIn} role can't be ${done}. Create a custom role with the permissions you want instead.`, 'roleId');
  }
}
