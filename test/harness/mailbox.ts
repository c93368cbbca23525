// A real SMTP server on 127.0.0.1 that keeps what it is sent, for tests that read the email a flow sends.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { eventually } from './expect';

/** A message as the server received it, parsed as a mail client would. */
export interface DeliveredEmail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface Mailbox {
  /** Where to send: the SMTP_URL of the graph under test. */
  url: string;
  /** Every message accepted so far, oldest first. */
  messages: DeliveredEmail[];
  /** Messages to `address` accepted so far. */
  sentTo(address: string): DeliveredEmail[];
  /** The first message to `address` accepted after `seen` of them, waiting up to `timeoutMs` for it. */
  nextTo(address: string, seen?: number, timeoutMs?: number): Promise<DeliveredEmail>;
  /** Refuses the next `times` messages to `address` with this SMTP reply code (451: try again later; 550: never). */
  refuse(address: string, times: number, code: number): void;
  stop(): Promise<void>;
}

/** The `token` query parameter of the first link in a message's plain text. */
export function tokenIn(email: Pick<DeliveredEmail, 'text'>): string {
  const match = /https?:\/\/\S+[?&]token=([^\s&]+)/.exec(email.text);
  if (!match) throw new Error(`No link with a token in: ${email.text}`);
  return decodeURIComponent(match[1]);
}

export async function startMailbox(): Promise<Mailbox> {
  const messages: DeliveredEmail[] = [];
  const refusals = new Map<string, { times: number; code: number }>();
  const server = new SMTPServer({
    // Plain SMTP on the loopback, no authentication: what a local relay or a mail catcher offers.
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
      const refusal = recipients.map((address) => [address, refusals.get(address)] as const).find(([, r]) => r && r.times > 0);
      if (refusal) {
        const [address, rule] = refusal;
        rule!.times -= 1;
        if (rule!.times === 0) refusals.delete(address);
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error(`Refused by the test (${rule!.code})`), { responseCode: rule!.code })));
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          messages.push({
            to: recipients,
            from: mail.from?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const sentTo = (address: string) => messages.filter((message) => message.to.includes(address.toLowerCase()));

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    sentTo,
    async nextTo(address, seen = 0, timeoutMs = 10_000) {
      const received = await eventually(async () => sentTo(address), (list) => list.length > seen, timeoutMs, 50);
      if (received.length <= seen) throw new Error(`No email to ${address} within ${timeoutMs} ms (${seen} seen before)`);
      return received[seen];
    },
    refuse(address, times, code) {
      refusals.set(address.toLowerCase(), { times, code });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
