// What organizations does with billing's alerts: records each in the organization's audit log and emails the members
// who manage billing, once per alert however often it is delivered. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';
import { appLink, isId, queueEmail, type BillingAlert, type Permission, type Queryable } from '@orgapi/shared';
import { SYSTEM_ACTOR } from '../audit/actor';
import { recordAudit } from '../audit/audit.service';
import type { UserEmails } from '../invitations/user-lookup';
import { MEMBERSHIP_COLUMNS, toMembership } from '../memberships/membership.loader';
import { IN_LIVE_ORGANIZATION, ORGANIZATION_COLUMNS, toOrganization } from '../organizations/organization.loader';
import { lockOrganization } from '../quotas';
import { billingAlertEmail } from './billing-alert.email';

/** The audit action of each kind of alert. */
export const BILLING_ALERT_ACTIONS: Record<BillingAlert['kind'], string> = {
  BALANCE_DROPPED: 'billing.balance_dropped',
  BALANCE_DEPLETED: 'billing.balance_depleted',
  BALANCE_RECOVERED: 'billing.balance_recovered',
};

/** How the audit log names an alert: its target type, beside `organization`, `membership` … */
export const BILLING_ALERT_TARGET = 'billing_alert';

/** The frontend page an alert's email links to (APP_URL/<slug>/billing). */
export const billingPagePath = (slug: string) => `/${slug}/billing`;

// Who is told: whoever may act on the balance, through a built-in role (owners, admins, billing) or a custom one.
const TOLD: Permission = 'billing:manage';

/** The user IDs of a live organization's members whose role, built-in or custom, grants `permission`. */
async function membersHolding(db: Queryable, organizationId: string, permission: Permission): Promise<string[]> {
  const rows: Record<string, unknown>[] = await db.query(`SELECT ${MEMBERSHIP_COLUMNS} FROM memberships WHERE organization_id = $1 AND ${IN_LIVE_ORGANIZATION} ORDER BY id`, [organizationId]);
  return rows.map(toMembership).filter((membership) => membership.permissions.includes(permission)).map((membership) => membership.userId);
}

export class BillingAlertService {
  constructor(
    private readonly db: DataSource,
    private readonly userEmails: UserEmails,
    private readonly settings: { appUrl: string },
  ) {}

  /**
   * Records `alert` in its organization's audit log (actor SYSTEM) and queues its email to each member who manages
   * billing, in one transaction. The audit event is the mark of an alert handled: one already recorded, delivered
   * again, changes nothing, and a failure before commit leaves nothing, so the retry sends each email once. An
   * organization deleted (or unknown) takes nothing either: there is nobody left to tell. True when it recorded.
   */
  async record(alert: BillingAlert): Promise<boolean> {
    if (!isId(alert.organizationId, 'org')) return false;
    // Identity holds the addresses: asked before the transaction, so the organization's lock never waits on a call.
    const addresses = new Map((await this.userEmails(await membersHolding(this.db, alert.organizationId, TOLD))).map((user) => [user.id, user.email]));
    return this.db.transaction(async (tx) => {
      // Serialises two deliveries of one alert (a retry racing a slow first attempt): the second sees the first's event.
      await lockOrganization(tx, alert.organizationId);
      const [row] = await tx.query(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1 AND deleted_at IS NULL`, [alert.organizationId]);
      if (!row) return false;
      const [recorded] = await tx.query(`SELECT 1 FROM audit_events WHERE organization_id = $1 AND action = ANY($2) AND target_type = $3 AND target_id = $4`, [
        alert.organizationId,
        Object.values(BILLING_ALERT_ACTIONS),
        BILLING_ALERT_TARGET,
        alert.alertId,
      ]);
      if (recorded) return false;
      const organization = toOrganization(row);
      await recordAudit(tx, SYSTEM_ACTOR, {
        organizationId: organization.id,
        action: BILLING_ALERT_ACTIONS[alert.kind],
        target: { type: BILLING_ALERT_TARGET, id: alert.alertId },
        after: { balance: alert.balance, threshold: alert.threshold },
      });
      const billingUrl = appLink(this.settings.appUrl, billingPagePath(organization.slug));
      // The managers as they are under the lock: one removed since identity was asked is not told.
      for (const userId of await membersHolding(tx, organization.id, TOLD)) {
        const email = addresses.get(userId);
        if (email) await queueEmail(tx, 'billing_alert', billingAlertEmail(alert, organization, email, billingUrl));
      }
      return true;
    });
  }
}
