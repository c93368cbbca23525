// Resetting a forgotten password: a link sent to the account's address, whose use sets a new password and ends
// every session. Asking never tells whether an account has the address.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { parseInput, queueEmail } from '@orgapi/shared';
import type { EmailLinkService } from '../email-links/email-link.service';
import type { EmailLink } from '../email-links/email-link.type';
import { RequestLimit } from '../email-links/request-limit';
import type { Client, SessionService } from '../sessions/session.service';
import { emailKey, type LoginThrottle } from '../sessions/login-throttle';
import { hashPassword, refuseEmailAsPassword } from '../users/passwords';
import type { UserService } from '../users/user.service';
import { passwordResetEmail } from './password-reset.email';
import { requestPasswordResetInput, resetPasswordInput } from './password-reset.input';

/** The frontend page a reset link opens (APP_URL/reset-password?token=…); it asks for a password and calls resetPassword. */
export const PASSWORD_RESET_PATH = 'reset-password';
// Per address: a few lost emails. Per client: one office asking for many people, not one attacker mailing thousands.
const REQUESTS_PER_EMAIL_PER_HOUR = 3;
const REQUESTS_PER_CLIENT_PER_HOUR = 30;
// Every answer to a request takes at least this long, far more than the work for an existing account, so timing
// does not tell whether the address has one.
export const MIN_REQUEST_ANSWER_MS = 250;

export class PasswordResetService {
  private readonly perEmail: RequestLimit;
  private readonly perClient: RequestLimit;

  constructor(
    private readonly db: DataSource,
    private readonly users: UserService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    private readonly links: EmailLinkService,
    private readonly ttlSeconds: number,
  ) {
    const hour = 3600;
    this.perEmail = new RequestLimit(db, { keyPrefix: 'reset_email', points: REQUESTS_PER_EMAIL_PER_HOUR, durationSeconds: hour, what: 'password reset emails for this address' });
    this.perClient = new RequestLimit(db, { keyPrefix: 'reset_ip', points: REQUESTS_PER_CLIENT_PER_HOUR, durationSeconds: hour, what: 'password reset requests from your network' });
  }

  /** Emails a reset link if an account has this address; the same answer, in the same time, if none has. */
  async request(input: unknown, client: Client): Promise<EmailLink> {
    const { email } = parseInput(requestPasswordResetInput, input);
    const answerNotBefore = sleep(MIN_REQUEST_ANSWER_MS);
    try {
      // Counted whether or not the address has an account, so that the limit does not tell either.
      await this.perEmail.consume(emailKey(email));
      if (client.ipAddress) await this.perClient.consume(client.ipAddress);
      await this.db.transaction(async (tx) => {
        const user = await this.users.lock(tx, { email });
        if (!user) return;
        const link = await this.links.issue(tx, 'password_reset', user, this.ttlSeconds, PASSWORD_RESET_PATH);
        await queueEmail(tx, 'password_reset', passwordResetEmail(user, { url: link.url, ttlSeconds: this.ttlSeconds }));
      });
      return { sentTo: email, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000) };
    } finally {
      await answerNotBefore;
    }
  }

  /**
   * Uses a reset token: sets the new password (the sign-up policy), ends every session of the user, and counts as
   * verifying the address (the link was read there). Returns the user's ID.
   */
  async reset(input: unknown): Promise<string> {
    const { token, newPassword } = parseInput(resetPasswordInput, input);
    // Hashed before the transaction, so the user's row is not held for the hash's 20-odd milliseconds.
    const passwordHash = await hashPassword(newPassword);
    const { userId, email } = await this.db.transaction(async (tx) => {
      const owner = await this.links.redeem(tx, 'password_reset', token);
      refuseEmailAsPassword(newPassword, owner.email, 'newPassword');
      await this.users.setPasswordHash(tx, owner.userId, passwordHash);
      await this.users.markEmailVerified(tx, owner.userId);
      await this.sessions.revokeOthers(owner.userId, undefined, tx, 'password_reset');
      return owner;
    });
    // Whoever reset the password reads the account's mail: earlier failed log-ins no longer hold them back.
    await this.throttle.succeeded(email);
    return userId;
  }
}
