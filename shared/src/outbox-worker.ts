// Delivers the email outbox: a relay (relay.ts) whose delivery hands each message to the mail transport.
import type { DataSource } from 'typeorm';
import type { MailConfig } from './config';
import { mailTransport, type MailTransport } from './mail-transport';
import { outboxChannel } from './outbox';
import { Relay, type RelayOptions } from './relay';

export type OutboxWorkerOptions = RelayOptions;

interface QueuedEmail {
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
}

/** One per subgraph process that sends email: `start()` at setup, `await stop()` at shutdown. */
export class OutboxWorker extends Relay<QueuedEmail> {
  constructor(
    db: DataSource,
    private readonly transport: MailTransport,
    options: OutboxWorkerOptions,
  ) {
    super(
      db,
      {
        table: 'outbox',
        columns: ['kind', 'recipient', 'subject', 'text_body', 'html_body'],
        noun: 'email',
        channel: outboxChannel,
        deliver: (row) => transport.send({ id: row.id, to: row.recipient, subject: row.subject, text: row.text_body, html: row.html_body }),
        // The link in a delivered email is a credential: once it is in the reader's mailbox the database need not keep it.
        onDelivered: 'text_body = NULL, html_body = NULL',
      },
      options,
    );
  }

  override start(): void {
    super.start(this.transport.description);
  }
}

/** The worker a subgraph runs, sending through SMTP_URL or into the log, already started. */
export function startOutboxWorker(db: DataSource, config: MailConfig): OutboxWorker {
  const worker = new OutboxWorker(db, mailTransport(config), { maxAttempts: config.MAIL_MAX_ATTEMPTS, retryBaseSeconds: config.MAIL_RETRY_BASE_SECONDS });
  worker.start();
  return worker;
}
