// A user's memberships: joining an organization within its quotas, and remembering the one they switched to. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { newId, type Role } from '@orgapi/shared';
import { countOf, lockOrganization, lockUser, quotaExceeded, type Quotas } from '../quotas';

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

  /** Remembers the organization the user switched to (membership already checked by the caller). */
  async setActive(userId: string, organizationId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO user_settings (user_id, active_organization_id) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET active_organization_id = EXCLUDED.active_organization_id, updated_at = now()`,
      [userId, organizationId],
    );
  }
}
