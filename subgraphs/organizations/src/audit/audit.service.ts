// Appends audit events, inside the transaction of the change they record. Knows nothing of GraphQL.
import { newId, type Queryable } from '@orgapi/shared';
import type { Actor } from './actor';
import { redact } from './audit-summary';

export interface AuditEntry {
  organizationId: string;
  /** `object.verb`: `organization.created`, `member.role_updated` … */
  action: string;
  target: { type: string; id: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * Writes one event with `tx`, the transaction that makes the change: the event exists if and only if the change
 * does. Summaries are redacted here, so no caller can store a secret by mistake.
 */
export async function recordAudit(tx: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_events (id, organization_id, action, actor_type, actor_id, actor_user_id, target_type, target_id, before, after, ip_address, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      newId('aud'),
      entry.organizationId,
      entry.action,
      actor.type,
      actor.id,
      actor.userId,
      entry.target.type,
      entry.target.id,
      entry.before ? redact(entry.before) : null,
      entry.after ? redact(entry.after) : null,
      actor.ipAddress,
      actor.requestId,
    ],
  );
}
