// Signed-in sessions: started at log-in, kept alive by rotating refresh tokens, ended by log-out or revocation.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import {
  AppError,
  ErrorCode,
  hashSecret,
  newId,
  notFound,
  preparedReads,
  type CredentialStatus,
  type PreparedReads,
  type ReadCacheSwitch,
  type RevocationListener,
} from '@orgapi/shared';
import { SESSION_IDLE_DAYS, SESSION_LIFETIME_DAYS } from './session-lifetime';
import { SESSION_COLUMNS, toSession } from './session.loader';
import type { Session } from './session.type';

export const REFRESH_TOKEN_PREFIX = 'rt_';

/** Where a request came from, kept with the session it starts or refreshes. */
export interface Client {
  ipAddress: string | null;
  userAgent: string | null;
}

const refreshRefused = (reason: 'expired' | 'revoked' | 'invalid', message: string) => new AppError(ErrorCode.UNAUTHENTICATED, message, { reason });

/** `status` is a question asked as each request arrives, never in the middle of a mutation: kept reads are fine. */
const AT_ARRIVAL: ReadCacheSwitch = Object.freeze({ enabled: true });

export class SessionService {
  /**
   * `reads` answers `status`, asked on every request that carries an access token: a prepared statement, its result
   * kept until identity's tables change (prepared-reads.ts) when `changes` hears them.
   */
  private readonly reads: PreparedReads;

  constructor(
    private readonly db: DataSource,
    changes?: RevocationListener,
  ) {
    this.reads = preparedReads(db, changes);
  }

  /** Starts a session and returns its first refresh token; `tx` makes both rows one change. */
  async start(userId: string, client: Client, tx: EntityManager): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = newId('ses');
    await tx.query(
      `INSERT INTO sessions (id, user_id, expires_at, user_agent, ip_address) VALUES ($1, $2, now() + make_interval(days => $3), $4, $5)`,
      [sessionId, userId, SESSION_LIFETIME_DAYS, client.userAgent, client.ipAddress],
    );
    return { sessionId, refreshToken: await this.issueRefreshToken(tx, sessionId) };
  }

  /**
   * Trades a refresh token for a new one. A token already traded is a sign it was stolen: the whole session is
   * revoked, so neither the thief nor the owner can go on with it.
   */
  async refresh(refreshToken: string, client: Client): Promise<{ userId: string; sessionId: string; refreshToken: string }> {
    const outcome = await this.db.transaction(async (tx) => {
      const [token] = await tx.query(
        `SELECT t.session_id, t.used_at, s.user_id, s.revoked_at, s.expires_at <= now() AS expired,
                s.last_used_at <= now() - make_interval(days => $2) AS idle
           FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
          WHERE t.token_hash = $1
            FOR UPDATE OF t, s`,
        [hashSecret(refreshToken), SESSION_IDLE_DAYS],
      );
      if (!token) return { refused: refreshRefused('invalid', 'This refresh token is not valid. Sign in again.') };
      if (token.revoked_at) return { refused: refreshRefused('revoked', 'This session has ended. Sign in again.') };
      if (token.used_at) {
        await tx.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'refresh_token_reused' WHERE id = $1`, [token.session_id]);
        return { refused: refreshRefused('revoked', 'This refresh token was already used, so the session has been ended to protect you. Sign in again.') };
      }
      if (token.expired || token.idle) return { refused: refreshRefused('expired', 'This session has expired. Sign in again.') };
      await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [hashSecret(refreshToken)]);
      await tx.query('UPDATE sessions SET last_used_at = now(), user_agent = COALESCE($2, user_agent), ip_address = COALESCE($3, ip_address) WHERE id = $1', [
        token.session_id,
        client.userAgent,
        client.ipAddress,
      ]);
      return { userId: token.user_id as string, sessionId: token.session_id as string, refreshToken: await this.issueRefreshToken(tx, token.session_id) };
    });
    // The reuse revocation must be committed, so the refusal is thrown only after the transaction.
    if ('refused' in outcome) throw outcome.refused;
    return outcome;
  }

  /** Ends one of the user's sessions; another user's session is NOT_FOUND. */
  async revoke(userId: string, sessionId: string, reason: string): Promise<Session> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH revoked AS (
         UPDATE sessions SET revoked_at = COALESCE(revoked_at, now()), revoked_reason = COALESCE(revoked_reason, $3)
          WHERE id = $1 AND user_id = $2 RETURNING ${SESSION_COLUMNS}
       ) SELECT * FROM revoked`,
      [sessionId, userId, reason],
    );
    const record = rows[0];
    if (!record) throw notFound('Session');
    return toSession(record);
  }

  /** Ends every session of the user but one (after a password change), or all of them (after a reset). */
  async revokeOthers(userId: string, keepSessionId: string | undefined, tx: EntityManager = this.db.manager, reason = 'password_changed'): Promise<void> {
    await tx.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2`, [
      userId,
      keepSessionId ?? null,
      reason,
    ]);
  }

  /**
   * Whether access tokens of this session are still accepted, and whose they are (with the user's email). `kept`, for
   * a request as it arrives: a kept answer is used only once every change committed before this call has been heard,
   * so a session revoked, or an address changed, is seen by the very next request. The expiry is compared here, so
   * that the statement reads no clock and may be kept.
   */
  async status(sessionId: string, reads: 'kept' | 'fresh' = 'fresh'): Promise<CredentialStatus> {
    const [row] = (await (reads === 'kept' ? this.reads.forRequest(performance.now(), AT_ARRIVAL) : this.reads).query(
      `SELECT s.user_id, s.revoked_at, s.expires_at, u.email, u.email_verified_at IS NOT NULL AS email_verified
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [sessionId],
    )) as Record<string, unknown>[];
    if (!row) return { active: false, reason: 'invalid' };
    if (row.revoked_at) return { active: false, reason: 'revoked' };
    if ((row.expires_at as Date).getTime() <= Date.now()) return { active: false, reason: 'expired' };
    return { active: true, userId: row.user_id as string, sessionId, email: row.email as string, emailVerified: row.email_verified as boolean };
  }

  private async issueRefreshToken(tx: EntityManager, sessionId: string): Promise<string> {
    const token = REFRESH_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await tx.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [hashSecret(token), sessionId]);
    return token;
  }
}
