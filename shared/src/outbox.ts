// The outbox: an email is written in the same transaction as the change that caused it, and sent later by the
// OutboxWorker, so a change never commits without its email and an email never goes out for a rolled-back change.
import type { QueryRunner } from 'typeorm';
import type { Email } from './email';
import { newId } from './ids';
import type { Queryable } from './loaders';

/** The notification channel a schema's worker listens on; queueEmail notifies it, delivered at commit. */
export const outboxChannel = (schema: string) => `outbox_${schema}`;

/**
 * Queues `email` in the outbox of the schema `tx` works in. Call it with the transaction that makes the change;
 * the worker sends it once that commits (and is woken at once by the notification, which PostgreSQL also holds
 * back until commit). `kind` names the template (`email_verification` …) for the logs and for operators.
 */
export async function queueEmail(tx: Queryable, kind: string, email: Email): Promise<string> {
  const id = newId('eml');
  try {
    await tx.query(
      `WITH queued AS (
         INSERT INTO outbox (id, kind, recipient, subject, text_body, html_body) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
       ) SELECT pg_notify('outbox_' || current_schema(), '') FROM queued`,
      [id, kind, email.to, email.subject, email.text, email.html],
    );
  } catch (error) {
    // The driver's error carries the statement's parameters, and the body holds a link that is a credential: the
    // error that gets logged must not.
    throw new Error(`Could not queue the ${kind} email: ${error instanceof Error ? error.message : String(error)}`);
  }
  return id;
}

/**
 * Creates the outbox table the worker reads, in the schema a migration runs in. Each subgraph that sends email
 * calls this from one of its own migrations. This is the table's first layout and must stay as it is: a later
 * layout is a new function, applied by new migrations, so that old migrations keep creating what they created.
 */
export async function createOutboxTable(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE TABLE outbox (
      id text COLLATE "C" PRIMARY KEY,
      kind text NOT NULL,
      recipient text NOT NULL,
      subject text NOT NULL,
      text_body text,
      html_body text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    )`);
  await db.query(`CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending'`);
}
