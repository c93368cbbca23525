// Accounts: creating them, checking credentials, changing passwords. Knows nothing of GraphQL.
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { AppError, conflict, ErrorCode, isUniqueViolation, newId, parseInput, text } from '@orgapi/shared';
import { hashPassword, newPassword, passwordMatches } from './passwords';
import { UserEntity } from './user.entity';
import type { User } from './user.type';

export const email = text()
  .trim()
  .toLowerCase()
  .max(254, 'An email address is at most 254 characters.')
  .pipe(z.email('Enter a valid email address, like name@example.com.'));

const signUpInput = z.object({
  email,
  password: newPassword,
  name: text().trim().min(1, "Name can't be empty.").max(100, 'A name is at most 100 characters.'),
});
const logInInput = z.object({ email: z.string().trim().toLowerCase(), password: z.string() });
const changePasswordInput = z.object({ currentPassword: z.string(), newPassword });

export const INCORRECT_CREDENTIALS = 'The email or password is incorrect.';

const toUser = (entity: UserEntity): User => ({ id: entity.id, email: entity.email, name: entity.name, createdAt: entity.createdAt });

export class UserService {
  constructor(private readonly db: DataSource) {}

  async signUp(input: unknown, tx: EntityManager = this.db.manager): Promise<User> {
    const { email, password, name } = parseInput(signUpInput, input);
    if (password.toLowerCase() === email) throw new AppError(ErrorCode.BAD_USER_INPUT, "Your password can't be your email address.", { field: 'password' });
    const passwordHash = await hashPassword(password);
    try {
      const user = tx.create(UserEntity, { id: newId('usr'), email, name, passwordHash });
      return toUser(await tx.save(user));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw conflict('An account with this email already exists. Log in instead.', 'email');
      throw error;
    }
  }

  /** The normalised email a log-in attempt names, for throttling; validation happens in authenticate(). */
  logInEmail(input: unknown): string {
    return parseInput(logInInput, input).email;
  }

  /** The user these credentials belong to; the same error and the same work for an unknown email and a wrong password. */
  async authenticate(input: unknown): Promise<User> {
    const { email, password } = parseInput(logInInput, input);
    // No stored email contains NUL (sign-up refuses it), and PostgreSQL could not even compare it.
    const entity = email.includes('\0') ? null : await this.db.getRepository(UserEntity).findOneBy({ email });
    if (!(await passwordMatches(entity?.passwordHash ?? null, password)) || !entity) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, INCORRECT_CREDENTIALS, { reason: 'invalid_credentials' });
    }
    return toUser(entity);
  }

  /** Checks the current password and stores the new one. */
  async changePassword(userId: string, input: unknown, tx: EntityManager): Promise<void> {
    const { currentPassword, newPassword: password } = parseInput(changePasswordInput, input);
    const entity = await tx.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    if (!entity || !(await passwordMatches(entity.passwordHash, currentPassword))) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'The current password is incorrect.', { field: 'currentPassword' });
    }
    if (password === currentPassword) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Choose a password different from the current one.', { field: 'newPassword' });
    await tx.update(UserEntity, { id: userId }, { passwordHash: await hashPassword(password) });
  }
}
