// A user's memberships: joining an organization within its quotas, and remembering the one they switched to. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { conflict, forbidden, newId, notFound, roleHas, ROLE_PERMISSIONS, type Role } from '@orgapi/shared';
import type { CallerActor } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import { IN_LIVE_ORGANIZATION } from '../organizations/organization.loader';
import { countOf, lockOrganization, lockUser, quotaExceeded, type Quotas } from '../quotas';
import { MEMBERSHIP_COLUMNS, toMembership } from './membership.loader';
import type { Membership } from './membership.type';

/** The change a caller with `callerRole` asks for: a role change to `role`, or an ending (removal or leaving). */
type Change = { role: Role } | { ends: 'member.removed' | 'member.left' };

/**
 * Who may change whom: only owners touch owners (making, demoting or removing one), and nobody hands out a role
 * holding a permission they do not hold themselves. Throws FORBIDDEN naming what was missing.
 */
export function checkMayChange(callerRole: Role, target: Role, change: Change): void {
  const touchesOwner = target === 'OWNER' || ('role' in change && change.role === 'OWNER');
  if (touchesOwner && !roleHas(callerRole, 'owners:manage')) throw forbidden('Only owners can make, change or remove owners.');
  if ('role' in change) {
    const missing = ROLE_PERMISSIONS[change.role].find((permission) => !roleHas(callerRole, permission));
    if (missing) throw forbidden(`You can't give the ${change.role} role: it holds ${missing}, which your role (${callerRole}) does not.`);
  }
}

export class MembershipService {
  constructor(
    private readonly db: DataSource,
    private readonly quotas: Quotas,
  ) {}

  /**
   * Makes the user a member with this role, in the caller's transaction: every way into an organization (creating it,
   * accepting an invitation) comes through here, so members per organization and organizations per user hold.
   * Locks the organization, then the user, always in that order, so two joins never wait on each other in a circle.
   */
  async add(tx: EntityManager, organizationId: string, userId: string, role: Role): Promise<void> {
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
    await tx.query('INSERT INTO memberships (id, organization_id, user_id, role) VALUES ($1, $2, $3, $4)', [newId('mem'), organizationId, userId, role]);
  }

  /**
   * Changes a member's role, removes them, or lets them leave (`change`), in one transaction. The organization row
   * is locked first, so owners are counted while no other change to them can run: of two owners demoting each other
   * at the same moment, the second finds one owner left and is refused. An organization always keeps an OWNER.
   */
  async change(actor: CallerActor, membershipId: string, change: Change): Promise<Membership> {
    return this.db.transaction(async (tx) => {
      const [located] = await tx.query(`SELECT organization_id FROM memberships WHERE id = $1 AND ${IN_LIVE_ORGANIZATION}`, [membershipId]);
      if (!located) throw notFound('Membership');
      await lockOrganization(tx, located.organization_id as string);
      const [row] = await tx.query(`SELECT ${MEMBERSHIP_COLUMNS} FROM memberships WHERE id = $1`, [membershipId]);
      if (!row) throw notFound('Membership');
      const target = toMembership(row);
      // The caller's role as it is now, under the lock: one demoted a moment ago no longer acts as an owner.
      const [caller] = await tx.query(`SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`, [target.organizationId, actor.userId]);
      if (!caller) throw notFound('Membership');
      const callerRole = caller.role as Role;
      // Anyone may leave; changing or removing someone follows who-may-change-whom.
      if (!('ends' in change && change.ends === 'member.left')) {
        if (!roleHas(callerRole, 'members:manage')) throw forbidden(`Your role (${callerRole}) does not allow members:manage in this organization.`);
        checkMayChange(callerRole, target.role, change);
      }
      const staysOwner = 'role' in change && change.role === 'OWNER';
      if (target.role === 'OWNER' && !staysOwner && (await this.owners(tx, target.organizationId)) <= 1) {
        throw conflict(
          'An organization needs at least one owner, and this is the last one. Make another member an owner (or transfer ownership) first.',
          'role' in change ? 'role' : 'membershipId',
        );
      }
      const targetRef = { type: 'membership', id: target.id };
      if ('role' in change) {
        if (change.role === target.role) return target;
        await tx.query('UPDATE memberships SET role = $2, updated_at = now() WHERE id = $1', [target.id, change.role]);
        await recordAudit(tx, actor, {
          organizationId: target.organizationId,
          action: 'member.role_updated',
          target: targetRef,
          before: { userId: target.userId, role: target.role },
          after: { userId: target.userId, role: change.role },
        });
        return { ...target, role: change.role };
      }
      await tx.query('DELETE FROM memberships WHERE id = $1', [target.id]);
      await recordAudit(tx, actor, { organizationId: target.organizationId, action: change.ends, target: targetRef, before: { userId: target.userId, role: target.role } });
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
      await tx.query(`UPDATE memberships SET role = 'OWNER', updated_at = now() WHERE id = $1`, [next.id]);
      await tx.query('UPDATE memberships SET role = $2, updated_at = now() WHERE id = $1', [caller.id, previousOwnerRole]);
      await recordAudit(tx, actor, {
        organizationId,
        action: 'organization.ownership_transferred',
        target: { type: 'membership', id: next.id },
        before: { owner: caller.userId, newOwnerRole: next.role },
        after: { owner: next.userId, previousOwnerRole },
      });
      return { ...next, role: 'OWNER' };
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
