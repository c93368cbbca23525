// Single-use links sent by email (verify an address, reset a password): their tokens are random, stored only as a
// hash, expire, and die when used or when a newer link of the same kind is sent.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError, appLink, ErrorCode, hashSecret } from '@orgapi/shared';

export type EmailLinkPurpose = 'email_verification' | 'password_reset';

/** Why a presented token is refused, as `extensions.reason`. */
export type EmailLinkRefusal = 'used' | 'expired' | 'invalid';

/** A token's state when it is presented; undefined when no token of that kind has this hash. */
export interface PresentedToken {
  used: boolean;
  replaced: boolean;
  expired: boolean;
  /** The account's address is no longer the one the link was sent to. */
  readdressed: boolean;
}

/** Why `token` cannot be used, or null when it can. A used token says so even once it has also expired. */
export function refusalOf(token: PresentedToken | undefined): { reason: EmailLinkRefusal; message: string } | null {
  if (!token) return { reason: 'invalid', message: 'This link is not valid. Check that you copied all of it, or ask for a new one.' };
  if (token.used) return { reason: 'used', message: 'This link has already been used. Ask for a new one if you need it.' };
  if (token.replaced) return { reason: 'invalid', message: 'A newer link has been sent since this one. Use the link in the latest email.' };
  if (token.expired) return { reason: 'expired', message: 'This link has expired. Ask for a new one.' };
  if (token.readdressed) return { reason: 'invalid', message: 'This link was sent to an address the account no longer uses. Ask for a new one.' };
  return null;
}

export interface IssuedLink {
  url: string;
  expiresAt: Date;
}

export class EmailLinkService {
  /** `appUrl` is the frontend (APP_URL) whose pages take the token from the link. */
  constructor(private readonly appUrl: string) {}

  /**
   * A new link of this kind for the user, at `path` of the frontend with the token in its query; the user's
   * previous unused link of this kind stops working. Runs in the caller's transaction, beside the outbox row.
   */
  async issue(tx: EntityManager, purpose: EmailLinkPurpose, user: { id: string; email: string }, ttlSeconds: number, path: string): Promise<IssuedLink> {
    // Serialises a user's concurrent requests, so that exactly one link of a kind is live.
    await tx.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [user.id]);
    await tx.query('UPDATE email_tokens SET replaced_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND replaced_at IS NULL', [user.id, purpose]);
    const token = randomBytes(32).toString('base64url');
    const [row] = await tx.query(
      `INSERT INTO email_tokens (token_hash, user_id, purpose, email, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at`,
      [hashSecret(token), user.id, purpose, user.email, ttlSeconds],
    );
    return { url: appLink(this.appUrl, path, { token }), expiresAt: row.expires_at as Date };
  }

  /**
   * Uses up a token of this kind: the user and the address it was sent to, which is still the account's. A refused
   * token changes nothing and is BAD_USER_INPUT on `token` with `reason` used, expired or invalid.
   */
  async redeem(tx: EntityManager, purpose: EmailLinkPurpose, token: string): Promise<{ userId: string; email: string }> {
    // Locks the user too: the change the link makes (a verified address, a password) is to that row.
    const [row] = await tx.query(
      `SELECT t.user_id, t.email, t.used_at IS NOT NULL AS used, t.replaced_at IS NOT NULL AS replaced, t.expires_at <= now() AS expired,
              u.email <> t.email AS readdressed
         FROM email_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.purpose = $2
          FOR UPDATE OF t, u`,
      [hashSecret(token), purpose],
    );
    const refusal = refusalOf(row);
    if (refusal) throw new AppError(ErrorCode.BAD_USER_INPUT, refusal.message, { field: 'token', reason: refusal.reason });
    await tx.query('UPDATE email_tokens SET used_at = now() WHERE token_hash = $1', [hashSecret(token)]);
    return { userId: row.user_id as string, email: row.email as string };
  }
}
