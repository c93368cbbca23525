// Events one subgraph tells another about (identity: "this user proved their address"), written in the same
// transaction as the change, and relayed over HTTP to the subscriber's internal route with the router secret: a
// change never commits without its event, and an event never goes out for a rolled-back change. Delivery is at least
// once, so subscribers handle an event idempotently (its id is stable across retries).
import type { DataSource, QueryRunner } from 'typeorm';
import { newId } from './ids';
import type { Queryable } from './loaders';
import { ROUTER_SECRET_HEADER } from './router-secret';
import { Relay, type RelayOptions } from './relay';

/** Topics, the contract between publisher and subscriber. Identity: a user proved, for the first time, that they read mail at `email`. */
export const USER_EMAIL_VERIFIED = 'user.email_verified';
export interface UserEmailVerified {
  userId: string;
  email: string;
}

/**
 * Billing: an organization's balance crossed its low-balance threshold (DROPPED), reached zero (DEPLETED) or came
 * back (RECOVERED). Organizations records it in the audit log and emails the members who manage billing.
 */
export const BILLING_ALERT = 'billing.alert';
export interface BillingAlert {
  alertId: string;
  organizationId: string;
  kind: 'BALANCE_DROPPED' | 'BALANCE_DEPLETED' | 'BALANCE_RECOVERED';
  /** Credits available when the alert was raised (negative within an overdraft). */
  balance: number;
  /** The low-balance threshold then, or null when none is set. */
  threshold: number | null;
}

/** The notification channel a schema's event relay listens on; publishEvent notifies it, delivered at commit. */
export const eventChannel = (schema: string) => `events_${schema}`;

/** An event as the subscriber receives it (POSTed as JSON). */
export interface PublishedEvent<Payload = Record<string, unknown>> {
  id: string;
  topic: string;
  payload: Payload;
  occurredAt: string;
}

/** Queues an event for the subscriber, as part of `tx`. */
export async function publishEvent(tx: Queryable, topic: string, payload: Record<string, unknown>): Promise<string> {
  const id = newId('evt');
  await tx.query(
    `WITH queued AS (INSERT INTO event_outbox (id, topic, payload) VALUES ($1, $2, $3) RETURNING id)
     SELECT pg_notify('events_' || current_schema(), '') FROM queued`,
    [id, topic, payload],
  );
  return id;
}

/**
 * Creates the event outbox in the schema a migration runs in. This is the table's first layout and must stay as it
 * is: a later layout is a new function, applied by new migrations.
 */
export async function createEventOutboxTable(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE TABLE event_outbox (
      id text COLLATE "C" PRIMARY KEY,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    )`);
  await db.query(`CREATE INDEX event_outbox_due_idx ON event_outbox (next_attempt_at) WHERE status = 'pending'`);
}

// A subscriber answers at once (it only writes rows); ten seconds means it is down, and the event waits for a retry.
const DELIVERY_TIMEOUT_MS = 10_000;

interface QueuedEvent {
  topic: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

/** Thrown for an answer that retrying will not change (a 4xx other than 408 and 429). */
class RefusedEvent extends Error {
  readonly permanent = true;
}

/** POSTs one event to `url` with the router secret; resolves when the subscriber answered 2xx. */
export async function postEvent(url: string, routerSecret: string | undefined, event: PublishedEvent): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(routerSecret ? { [ROUTER_SECRET_HEADER]: routerSecret } : {}) },
    body: JSON.stringify(event),
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  const answer = (await response.text()).slice(0, 300);
  if (response.ok) return;
  const message = `${url} answered ${response.status}: ${answer}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new RefusedEvent(message);
  throw new Error(message);
}

/** Relays a schema's event outbox to the subscriber at `url`. */
export class EventRelay extends Relay<QueuedEvent> {
  constructor(
    db: DataSource,
    private readonly url: string,
    routerSecret: string | undefined,
    options: RelayOptions,
  ) {
    super(
      db,
      {
        table: 'event_outbox',
        columns: ['topic', 'payload', 'created_at'],
        noun: 'event',
        channel: eventChannel,
        deliver: (row) => postEvent(url, routerSecret, { id: row.id, topic: row.topic, payload: row.payload, occurredAt: new Date(row.created_at).toISOString() }),
      },
      options,
    );
  }

  override start(): void {
    super.start(this.url);
  }
}
