// Verifying email addresses: a link, sent at sign-up and on request, whose use proves the user reads mail there.
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorCode, notFound, parseInput, queueEmail } from '@orgapi/shared';
import type { EmailLinkService } from '../email-links/email-link.service';
import type { EmailLink } from '../email-links/email-link.type';
import { RequestLimit } from '../email-links/request-limit';
import type { UserService } from '../users/user.service';
import { emailVerificationEmail } from './email-verification.email';
import { verifyEmailInput } from './email-verification.input';

/** The frontend page a verification link opens (APP_URL/verify-email?token=…); it calls verifyEmail. */
export const EMAIL_VERIFICATION_PATH = 'verify-email';
// Enough for a lost email or two, too few to flood an inbox.
const REQUESTS_PER_HOUR = 5;

export class EmailVerificationService {
  private readonly limit: RequestLimit;

  constructor(
    private readonly db: DataSource,
    private readonly users: UserService,
    private readonly links: EmailLinkService,
    private readonly ttlSeconds: number,
  ) {
    this.limit = new RequestLimit(db, { keyPrefix: 'verify', points: REQUESTS_PER_HOUR, durationSeconds: 3600, what: 'verification emails' });
  }

  /** Sends `user` a new verification link, as part of `tx` (sign-up's, or a request's): the email goes if it commits. */
  async send(tx: EntityManager, user: { id: string; email: string; name: string }): Promise<EmailLink> {
    const link = await this.links.issue(tx, 'email_verification', user, this.ttlSeconds, EMAIL_VERIFICATION_PATH);
    await queueEmail(tx, 'email_verification', emailVerificationEmail(user, { url: link.url, ttlSeconds: this.ttlSeconds }));
    return { sentTo: user.email, expiresAt: link.expiresAt };
  }

  /** Sends the user a new link (the previous one dies); CONFLICT when the address is verified already. */
  async request(userId: string): Promise<EmailLink> {
    await this.limit.consume(userId);
    return this.db.transaction(async (tx) => {
      const user = await this.users.lock(tx, { id: userId });
      if (!user) throw notFound('User');
      if (user.emailVerified) throw new AppError(ErrorCode.CONFLICT, `Your address ${user.email} is verified already: there is nothing to do.`, { reason: 'already_verified' });
      return this.send(tx, user);
    });
  }

  /** Uses a verification token: the address it was sent to is verified. Returns the user's ID. */
  async verify(input: unknown): Promise<string> {
    const { token } = parseInput(verifyEmailInput, input);
    return this.db.transaction(async (tx) => {
      const { userId } = await this.links.redeem(tx, 'email_verification', token);
      await this.users.markEmailVerified(tx, userId);
      return userId;
    });
  }
}
