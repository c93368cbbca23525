// Accounts: creating them, checking credentials, changing passwords. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, conflict, ErrorCode, isUniqueViolation, newId, parseInput } from '@orgapi/shared';
import { hashPassword, passwordMatches } from './passwords';
import { changePasswordInput, signUpInput } from './user.input';
import { toUser, USER_COLUMNS } from './user.loader';
import type { User } from './user.type';

export const INCORRECT_CREDENTIALS = 'The email or password is incorrect.';

export class UserService {
  constructor(private readonly db: DataSource) {}

  async signUp(input: unknown, tx: EntityManager = this.db.manager): Promise<User> {
    const { email, password, name } = parseInput(signUpInput, input);
    if (password.toLowerCase() === email) throw new AppError(ErrorCode.BAD_USER_INPUT, "Your password can't be your email address.", { field: 'password' });
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
}
