// Where queued email goes: out through SMTP when SMTP_URL is set, otherwise into the log for a developer to read.
import { createTransport } from 'nodemailer';
import type { Email } from './email';
import { logger } from './logger';

/** An email taken from the outbox, with the outbox row's ID (it becomes the Message-ID, so resends can be spotted). */
export type OutgoingEmail = Email & { id: string };

export interface MailTransport {
  /** Where email goes, for the start-up log: never the SMTP credentials. */
  readonly description: string;
  /** Resolves once the message is accepted; rejects with `permanent: true` when retrying cannot help. */
  send(email: OutgoingEmail): Promise<void>;
}

const domainOf = (from: string) => /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';

/** Sends through the SMTP server at `url` (smtp://user:password@host:port, or smtps:// for TLS from the start). */
export function smtpTransport(url: string, from: string): MailTransport {
  const smtp = new URL(url);
  // Timeouts well inside the worker's lease on a message, so a stuck server cannot make two workers send it.
  const transporter = createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  const domain = domainOf(from);
  return {
    description: `SMTP at ${smtp.hostname}:${smtp.port || (smtp.protocol === 'smtps:' ? 465 : 587)}`,
    async send(email) {
      await transporter.sendMail({ from, to: email.to, subject: email.subject, text: email.text, html: email.html, messageId: `<${email.id}@${domain}>` });
    },
  };
}

/**
 * Prints each email in the log (pino, at info) instead of sending it: the recipient, the subject and the plain
 * text. It is how a developer without a mail server follows a link, so it prints even when LOG_LEVEL is warn or
 * error (`npm start` runs at warn); only `silent` hides it.
 */
export function logTransport(): MailTransport {
  const quiet = logger.level !== 'silent' && logger.levelVal > logger.levels.values.info;
  const log = logger.child({ component: 'mail' }, quiet ? { level: 'info' } : {});
  return {
    description: 'printed in the log (SMTP_URL is unset)',
    async send(email) {
      log.info({ to: email.to, subject: email.subject, text: email.text }, `email to ${email.to}: ${email.subject}`);
    },
  };
}

/** SMTP when a URL is configured, the log otherwise. */
export function mailTransport(config: { SMTP_URL?: string; MAIL_FROM: string }): MailTransport {
  return config.SMTP_URL ? smtpTransport(config.SMTP_URL, config.MAIL_FROM) : logTransport();
}
