// A user's memberships: joining an organization within its quotas, changing roles (built-in or custom), and remembering the one they switched to. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { conflict, forbidden, isId, newId, notFound, permissionsOf, type Permission, type Role } from '@orgapi/shared';
import type { CallerActor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { countOf, lockOrganization, lockUser, quotaExceeded, type Quotas } from '../quotas';
import { builtInRoleOfId, effectivePermissions, lacking, type MemberRole } from '../roles/role-rules';
import { MEMBERSHIP_COLUMNS, toMembership } from './membership.loader';
import type { Membership } from './membership.type';

/** A role to give: a built-in one, or a custom role (CUSTOM) named by its ID. */
export interface Assignment {
  role: MemberRole;
  customRoleId: string | null;
  /** The role's permissions, as they are under the organization's lock. */
  permissions: readonly Permission[];
  /** How messages and the audit log name it: `ADMIN`, or the custom role's key. */
  label: string;
}

/** The change a caller asks for: a new role, or an ending (removal or leaving). */
type Change = { assign: Assignment } | { ends: 'member.removed' | 'member.left' };

/** What the caller of a change holds: their role (for messages) and their effective permissions. */
interface Held {
  label: string;
  permissions: readonly Permission[];
}

const builtIn = (role: Role): Assignment => ({ role, customRoleId: null, permissions: permissionsOf(role), label: role });

/**
 * Who may change whom: only owners touch owners (making, demoting or removing one), and nobody hands out a role
 * holding a permission they do not hold themselves, built-in or custom. Throws FORBIDDEN naming what was missing.
 */
export function checkMayChange(caller: Held, target: MemberRole, change: Change): void {
  const touchesOwner = target === 'OWNER' || ('assign' in change && change.assign.role === 'OWNER');
  if (touchesOwner && !caller.permissions.includes('owners:manage')) throw forbidden('Only owners can make, change or remove owners.');
  if ('assign' in change) {
    const [missing] = lacking(caller.permissions, change.assign.permissions);
    if (missing) throw forbidden(`You can't give the ${change.assign.label} role: it holds ${missing}, which your role (${caller.label}) does not.`);
  }
}

/** A member's membership read under the organization's lock (taken by the caller), with its effective permissions; null for a non-member. */
export async function memberUnderLock(tx: EntityManager, organizationId: string, userId: string): Promise<Membership | null> {
  const [row] = await tx.query(`SELECT ${MEMBERSHIP_COLUMNS} FROM memberships WHERE organization_id = $1 AND user_id = $2`, [organizationId, userId]);
  return row ? toMembership(row) : null;
}

/** How a membership's role reads in messages and audit events: the built-in role, or the custom role's key. */
async function labelOf(tx: EntityManager, membership: Membership): Promise<string> {
  if (!membership.customRoleId) return membership.role;
  const [row] = await tx.query('SELECT key FROM roles WHERE id = $1', [membership.customRoleId]);
  return (row?.key as string | undefined) ?? membership.role;
}

/** The role a role change asks for: `role` (built-in) or `roleId` (a built-in role's ID or a custom role of the organization). */
export type RoleRequest = { role: Role } | { roleId: string };

/**
 * The role `request` names, read in `tx` (under the organization's lock, taken by the caller): NOT_FOUND for a role
 * of another organization, as for a made-up one.
 */
export async function roleAssignment(tx: EntityManager, organizationId: string, request: RoleRequest): Promise<Assignment> {
  if ('role' in request) return builtIn(request.role);
  const named = builtInRoleOfId(request.roleId);
  if (named) return builtIn(named);
  if (!isId(request.roleId, 'role')) throw notFound('Role');
  const [row] = await tx.query('SELECT id, key, permissions FROM roles WHERE id = $1 AND organization_id = $2', [request.roleId, organizationId]);
  if (!row) throw notFound('Role');
  return { role: 'CUSTOM', customRoleId: row.id as string, permissions: effectivePermissions('CUSTOM', row.permissions as string[]), label: row.key as string };
}

export class MembershipService {
  constructor(
    private readonly db: DataSource,
    private readonly quotas: Omit<Quotas, 'customRolesPerOrganization' | 'pendingInvitationsPerOrganization' | 'domainsPerOrganization'>,
  ) {}

  /**
   * Makes the user a member with this role (a custom role: CUSTOM and its ID), in the caller's transaction: every way into an organization (creating it,
   * accepting an invitation) comes through here, so members per organization and organizations per user hold.
   * Locks the organization, then the user, always in that order, so two joins never wait on each other in a circle.
   * Returns the new membership's ID.
   */
  async add(tx: EntityManager, organizationId: string, userId: string, role: MemberRole, customRoleId: string | null = null): Promise<string> {
    const { membersPerOrganization, organizationsPerUser } = this.quotas;
    await lockOrganization(tx, organizationId);
    if ((await countOf(tx, 'memberships', 'organization_id', organizationId)) >= membersPerOrganization) {
      throw quotaExceeded(`This organization has ${membersPerOrganization.toLocaleString('en-US')} members, the most one organization may have.`, membersPerOrganization);
    }
    await lockUser(tx, userId);
    if ((await countOf(tx, 'memberships', 'user_id', userId)) >= organizationsPerUser) {
      throw quotaExceeded(
        `You belong to ${organizationsPerUser.toLocaleString('en-US')} organizations, the most one user may. Leave one before joining or creating another.`,
        organizationsPerUser,
      );
    }
    const id = newId('mem');
    await tx.query('INSERT INTO memberships (id, organization_id, user_id, role, custom_role_id) VALUES ($1, $2, $3, $4, $5)', [id, organizationId, userId, role, customRoleId]);
    return id;
  }

  /** Changes a member's role to a built-in role or a custom role of their organization (`request`). */
  updateRole(actor: CallerActor, membershipId: string, request: RoleRequest): Promise<Membership> {
    return this.change(actor, membershipId, request);
  }

  /** Removes a member, or lets them leave. */
  end(actor: CallerActor, membershipId: string, ends: 'member.removed' | 'member.left'): Promise<Membership> {
    return this.change(actor, membershipId, { ends });
  }

  /** The role `request` names, read under the organization's lock. */
  private assignment(tx: EntityManager, organizationId: string, request: RoleRequest): Promise<Assignment> {
    return roleAssignment(tx, organizationId, request);
  }

  /**
   * Changes a member's role, removes them, or lets them leave (`change`), in one transaction. The organization row
   * is locked first, so owners are counted while no other change to them can run: of two owners demoting each other
   * at the same moment, the second finds one owner left and is refused. An organization always keeps an OWNER.
   */
  private async change(actor: CallerActor, membershipId: string, request: RoleRequest | { ends: 'member.removed' | 'member.left' }): Promise<Membership> {
    return this.db.transaction(async (tx) => {
      const [located] = await tx.query(`SELECT organization_id FROM memberships WHERE id = $1 AND ${IN_LIVE_ORGANIZATION}`, [membershipId]);
      if (!located) throw notFound('Membership');
      await lockOrganization(tx, located.organization_id as string);
      const [row] = await tx.query(`SELECT ${MEMBERSHIP_COLUMNS} FROM memberships WHERE id = $1`, [membershipId]);
      if (!row) throw notFound('Membership');
      const target = toMembership(row);
      // The caller's role and permissions as they are now, under the lock: one demoted a moment ago no longer acts as
      // an owner, and a custom role changed a moment ago grants what it grants now.
      const caller = await memberUnderLock(tx, target.organizationId, actor.userId);
      if (!caller) throw notFound('Membership');
      const change: Change = 'ends' in request ? request : { assign: await this.assignment(tx, target.organizationId, request) };
      // Anyone may leave; changing or removing someone follows who-may-change-whom.
      if (!('ends' in change && change.ends === 'member.left')) {
        const held = { label: await labelOf(tx, caller), permissions: caller.permissions };
        if (!held.permissions.includes('members:manage')) throw forbidden(`Your role (${held.label}) does not allow members:manage in this organization.`);
        checkMayChange(held, target.role, change);
      }
      const staysOwner = 'assign' in change && change.assign.role === 'OWNER';
      if (target.role === 'OWNER' && !staysOwner && (await this.owners(tx, target.organizationId)) <= 1) {
        throw conflict(
          'An organization needs at least one owner, and this is the last one. Make another member an owner (or transfer ownership) first.',
          'assign' in change ? ('role' in request ? 'role' : 'roleId') : 'membershipId',
        );
      }
      const targetRef = { type: 'membership', id: target.id };
      const roleOf = async (membership: Membership) =>
        membership.customRoleId ? { role: membership.role, customRole: { id: membership.customRoleId, key: await labelOf(tx, membership) } } : { role: membership.role };
      if ('assign' in change) {
        const { role, customRoleId, permissions } = change.assign;
        if (role === target.role && customRoleId === target.customRoleId) return target;
        await tx.query('UPDATE memberships SET role = $2, custom_role_id = $3, updated_at = now() WHERE id = $1', [target.id, role, customRoleId]);
        const changed: Membership = { ...target, role, customRoleId, permissions };
        await recordAudit(tx, actor, {
          organizationId: target.organizationId,
          action: 'member.role_updated',
          target: targetRef,
          before: { userId: target.userId, ...(await roleOf(target)) },
          after: { userId: target.userId, ...(await roleOf(changed)) },
        });
        return changed;
      }
      await tx.query('DELETE FROM memberships WHERE id = $1', [target.id]);
      await recordAudit(tx, actor, { organizationId: target.organizationId, action: change.ends, target: targetRef, before: { userId: target.userId, ...(await roleOf(target)) } });
      return target;
    });
  }

  /**
   * Makes another member an OWNER and the caller, an owner, `previousOwnerRole` (ADMIN by default), in one
   * transaction under the organization's lock. Returns the new owner's membership.
   */
  async transferOwnership(actor: CallerActor, organizationId: string, toMembershipId: string, previousOwnerRole: Role = 'ADMIN'): Promise<Membership> {
    return this.db.transaction(async (tx) => {
      await lockOrganization(tx, organizationId);
      const rows = (await tx.query(
        `SELECT ${MEMBERSHIP_COLUMNS} FROM memberships WHERE organization_id = $1 AND (user_id = $2 OR id = $3) AND ${IN_LIVE_ORGANIZATION}`,
        [organizationId, actor.userId, toMembershipId],
      )) as Record<string, unknown>[];
      const caller = rows.map(toMembership).find((membership) => membership.userId === actor.userId);
      const next = rows.map(toMembership).find((membership) => membership.id === toMembershipId);
      if (!caller) throw notFound('Organization');
      if (caller.role !== 'OWNER') throw forbidden('Only an owner can transfer ownership.');
      if (!next) throw notFound('Membership');
      if (next.id === caller.id) throw conflict('You are the owner already: choose another member to transfer ownership to.', 'toMembershipId');
      await tx.query(`UPDATE memberships SET role = 'OWNER', custom_role_id = NULL, updated_at = now() WHERE id = $1`, [next.id]);
      await tx.query('UPDATE memberships SET role = $2, custom_role_id = NULL, updated_at = now() WHERE id = $1', [caller.id, previousOwnerRole]);
      await recordAudit(tx, actor, {
        organizationId,
        action: 'organization.ownership_transferred',
        target: { type: 'membership', id: next.id },
        before: { owner: caller.userId, newOwnerRole: next.role },
        after: { owner: next.userId, previousOwnerRole },
      });
      return { ...next, role: 'OWNER', customRoleId: null, permissions: permissionsOf('OWNER') };
    });
  }

  private async owners(tx: EntityManager, organizationId: string): Promise<number> {
    const [row] = await tx.query(`SELECT count(*)::int AS owners FROM memberships WHERE organization_id = $1 AND role = 'OWNER'`, [organizationId]);
    return row.owners as number;
  }

  /** Remembers the organization the user switched to (membership already checked by the caller). */
  async setActive(userId: string, organizationId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO user_settings (user_id, active_organization_id) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET active_organization_id = EXCLUDED.active_organization_id, updated_at = now()`,
      [userId, organizationId],
    );
  }
}
