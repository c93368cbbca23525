// Personal access tokens for scripts and CI: shown once, stored hashed, listed by prefix, revocable.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { badInput, hashSecret, newId, notFound, parseInput, PERSONAL_ACCESS_TOKEN_PREFIX, type CredentialStatus } from '@orgapi/shared';
import { createPersonalAccessTokenInput } from './personal-access-token.input';
import { PERSONAL_ACCESS_TOKEN_COLUMNS, toPersonalAccessToken } from './personal-access-token.loader';
import type { CreatePersonalAccessTokenPayload, PersonalAccessToken } from './personal-access-token.type';

export const MAX_TOKENS_PER_USER = 100;
// How often using a token updates its lastUsedAt: often enough to be useful, rarely enough to cost nothing.
const LAST_USED_RESOLUTION_SECONDS = 60;

export class PersonalAccessTokenService {
  constructor(private readonly db: DataSource) {}

  /** Creates a token; the secret is returned here and never again. */
  async create(userId: string, input: unknown): Promise<CreatePersonalAccessTokenPayload> {
    const { name, expiresAt } = parseInput(createPersonalAccessTokenInput, input);
    const token = PERSONAL_ACCESS_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const prefix = token.slice(0, PERSONAL_ACCESS_TOKEN_PREFIX.length + 6);
    return this.db.transaction(async (tx) => {
      // Serialises a user's concurrent creations, so the limit below holds.
      await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const [{ count }] = await tx.query('SELECT count(*)::int AS count FROM personal_access_tokens WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
      if (count >= MAX_TOKENS_PER_USER) throw badInput(`You have ${MAX_TOKENS_PER_USER} active tokens, the most allowed. Revoke one first.`);
      const [row] = await tx.query(
        `INSERT INTO personal_access_tokens (id, user_id, name, token_hash, prefix, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${PERSONAL_ACCESS_TOKEN_COLUMNS}`,
        [newId('tok'), userId, name, hashSecret(token), prefix, expiresAt ?? null],
      );
      return { token, personalAccessToken: toPersonalAccessToken(row) };
    });
  }

  /** Revokes one of the user's tokens; another user's token is NOT_FOUND. */
  async revoke(userId: string, id: string): Promise<PersonalAccessToken> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH revoked AS (
         UPDATE personal_access_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND user_id = $2 RETURNING ${PERSONAL_ACCESS_TOKEN_COLUMNS}
       ) SELECT * FROM revoked`,
      [id, userId],
    );
    if (!rows[0]) throw notFound('Personal access token');
    return toPersonalAccessToken(rows[0]);
  }

  /** Whether a presented token is live, and whose it is (with the user's email); notes when it was last used. */
  async status(token: string): Promise<CredentialStatus> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH found AS (
         SELECT p.id, p.user_id, p.revoked_at, p.expires_at IS NOT NULL AND p.expires_at <= now() AS expired, p.last_used_at,
                u.email, u.email_verified_at IS NOT NULL AS email_verified
           FROM personal_access_tokens p JOIN users u ON u.id = p.user_id WHERE p.token_hash = $1
       ), touched AS (
         UPDATE personal_access_tokens p SET last_used_at = now()
           FROM found f
          WHERE p.id = f.id AND f.revoked_at IS NULL AND NOT f.expired
            AND (f.last_used_at IS NULL OR f.last_used_at < now() - make_interval(secs => $2))
       ) SELECT * FROM found`,
      [hashSecret(token), LAST_USED_RESOLUTION_SECONDS],
    );
    const row = rows[0];
    if (!row) return { active: false, reason: 'invalid' };
    if (row.revoked_at) return { active: false, reason: 'revoked' };
    if (row.expired) return { active: false, reason: 'expired' };
    return { active: true, userId: row.user_id as string, tokenId: row.id as string, email: row.email as string, emailVerified: row.email_verified as boolean };
  }
}
