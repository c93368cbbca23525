// Accounts: creating them, checking credentials, changing passwords. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, conflict, ErrorCode, isUniqueViolation, newId, parseInput, publishEvent, USER_EMAIL_VERIFIED } from '@orgapi/shared';
import { hashPassword, passwordMatches, refuseEmailAsPassword } from './passwords';
import { changePasswordInput, signUpInput } from './user.input';
import { toUser, USER_COLUMNS } from './user.loader';
import type { User } from './user.type';

export const INCORRECT_CREDENTIALS = 'The email or password is incorrect.';

export class UserService {
  constructor(private readonly db: DataSource) {}

  async signUp(input: unknown, tx: EntityManager = this.db.manager): Promise<User> {
    const { email, password, name } = parseInput(signUpInput, input);
    refuseEmailAsPassword(password, email, 'password');
    const passwordHash = await hashPassword(password);
    try {
      const [row] = await tx.query(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`, [
        newId('usr'),
        email,
        name,
        passwordHash,
      ]);
      return toUser(row);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw conflict('An account with this email already exists. Log in instead.', 'email');
      throw error;
    }
  }

  /**
   * The user these credentials belong to; the same error and the same work for an unknown email and a wrong
   * password. `email` is normalised already (the log-in input does it).
   */
  async authenticate(email: string, password: string): Promise<User> {
    // No stored email contains NUL (sign-up refuses it), and PostgreSQL could not even compare it.
    const [row] = email.includes('\0') ? [] : await this.db.query(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE email = $1`, [email]);
    if (!(await passwordMatches(row?.password_hash ?? null, password)) || !row) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, INCORRECT_CREDENTIALS, { reason: 'invalid_credentials' });
    }
    return toUser(row);
  }

  /** Checks the current password and stores the new one. */
  async changePassword(userId: string, input: unknown, tx: EntityManager): Promise<void> {
    const { currentPassword, newPassword } = parseInput(changePasswordInput, input);
    const [row] = await tx.query('SELECT password_hash FROM users WHERE id = $1 FOR UPDATE', [userId]);
    if (!row || !(await passwordMatches(row.password_hash, currentPassword))) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'The current password is incorrect.', { field: 'currentPassword' });
    }
    if (newPassword === currentPassword) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Choose a password different from the current one.', { field: 'newPassword' });
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, await hashPassword(newPassword)]);
  }

  /** The user with this ID or email (normalised already), locked for the rest of `tx`; null when there is none. */
  async lock(tx: EntityManager, where: { id: string } | { email: string }): Promise<User | null> {
    const [column, value] = 'id' in where ? ['id', where.id] : ['email', where.email];
    const [row] = await tx.query(`SELECT ${USER_COLUMNS} FROM users WHERE ${column} = $1 FOR UPDATE`, [value]);
    return row ? toUser(row) : null;
  }

  /**
   * Marks the user's address verified (a link sent to it was used); the first verification's time is kept. The first
   * one is also told to organizations (`user.email_verified`), which may invite the user to organizations that
   * enrol people at that address's domain.
   */
  async markEmailVerified(tx: EntityManager, userId: string): Promise<void> {
    // TypeORM answers an UPDATE with [rows, count]: no row when the address was verified already.
    const [[verified]] = await tx.query(
      'UPDATE users SET email_verified_at = now(), updated_at = now() WHERE id = $1 AND email_verified_at IS NULL RETURNING email',
      [userId],
    );
    if (verified) await publishEvent(tx, USER_EMAIL_VERIFIED, { userId, email: verified.email });
  }

  /** Stores a new password hash, without asking for the old password: the caller proved the account another way. */
  async setPasswordHash(tx: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, passwordHash]);
  }
}
