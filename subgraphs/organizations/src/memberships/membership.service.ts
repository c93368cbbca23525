// A user's memberships: remembering the organization they switched to. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';

export class MembershipService {
  constructor(private readonly db: DataSource) {}

  /** Remembers the organization the user switched to (membership already checked by the caller). */
  async setActive(userId: string, organizationId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO user_settings (user_id, active_organization_id) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET active_organization_id = EXCLUDED.active_organization_id, updated_at = now()`,
      [userId, organizationId],
    );
  }
}
