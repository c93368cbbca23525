// Reads pages of an organization's audit log, newest first; rows become AuditEvents only here.
import DataLoader from 'dataloader';
import { groupLoader, loaderFamily, type PageRequest, type Queryable } from '@orgapi/shared';
import type { ActorType } from './actor';
import type { AuditFilter } from './audit.input';
import type { AuditEvent } from './audit.type';

export const AUDIT_EVENT_COLUMNS =
  'id, organization_id, action, actor_type, actor_id, actor_user_id, target_type, target_id, before, after, ip_address, request_id, occurred_at';

export const toAuditEvent = (row: Record<string, unknown>): AuditEvent => ({
  id: row.id as string,
  organizationId: row.organization_id as string,
  action: row.action as string,
  actor: {
    type: row.actor_type as ActorType,
    id: row.actor_id as string | null,
    user: row.actor_user_id ? { id: row.actor_user_id as string } : null,
  },
  target: { type: row.target_type as string, id: row.target_id as string },
  before: row.before as Record<string, unknown> | null,
  after: row.after as Record<string, unknown> | null,
  ipAddress: row.ip_address as string | null,
  requestId: row.request_id as string | null,
  occurredAt: row.occurred_at as Date,
});

// Every filter is optional: a NULL parameter leaves its condition true, so one statement serves all combinations.
// `first` is the number of the first of the four parameters the conditions use.
const filterSql = (first: number) =>
  `($${first}::text IS NULL OR action = $${first}) AND ($${first + 1}::text IS NULL OR actor_id = $${first + 1})
   AND ($${first + 2}::timestamptz IS NULL OR occurred_at >= $${first + 2}) AND ($${first + 3}::timestamptz IS NULL OR occurred_at < $${first + 3})`;
const filterParameters = (filter: AuditFilter) => [filter.action ?? null, filter.actorId ?? null, filter.from ?? null, filter.to ?? null];

export function auditLoaders(db: Queryable) {
  const pageSql = `SELECT * FROM (
      SELECT ${AUDIT_EVENT_COLUMNS}, row_number() OVER (PARTITION BY organization_id ORDER BY id DESC) AS page_row
        FROM audit_events
       WHERE organization_id = ANY($1) AND ($2::text IS NULL OR id < $2) AND ${filterSql(4)}
    ) page WHERE page_row <= $3 ORDER BY id DESC`;
  const countSql = `SELECT organization_id, count(*)::int AS count FROM audit_events
    WHERE organization_id = ANY($1) AND ${filterSql(2)} GROUP BY organization_id`;
  return {
    /** A page of each organization's events matching `filter`, newest first (one more than asked, to tell if more follow). */
    auditEventsPage: loaderFamily(({ filter, page }: { filter: AuditFilter; page: PageRequest }) =>
      groupLoader<string, AuditEvent>(
        async (organizationIds) => (await db.query(pageSql, [organizationIds, page.after, page.first + 1, ...filterParameters(filter)])).map(toAuditEvent),
        (event) => event.organizationId,
      ),
    ),
    /** How many events of each organization match `filter`. */
    auditEventCount: loaderFamily(
      (filter: AuditFilter) =>
        new DataLoader<string, number>(async (organizationIds) => {
          const rows: { organization_id: string; count: number }[] = await db.query(countSql, [organizationIds, ...filterParameters(filter)]);
          const counts = new Map(rows.map((row) => [row.organization_id, row.count]));
          return organizationIds.map((id) => counts.get(id) ?? 0);
        }),
    ),
  };
}
