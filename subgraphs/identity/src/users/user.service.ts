// Creating accounts and checking credentials. Knows nothing of GraphQL.
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { AppError, conflict, ErrorCode, isUniqueViolation, newId, parseInput, text } from '@orgapi/shared';
import { hashPassword, passwordMatches, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../sessions/passwords';
import { UserEntity } from './user.entity';
import type { User } from './user.type';

export const email = text()
  .trim()
  .toLowerCase()
  .max(254, 'An email address is at most 254 characters.')
  .pipe(z.email('Enter a valid email address, like name@example.com.'));

const signUpInput = z.object({
  email,
  password: text()
    .min(PASSWORD_MIN_LENGTH, `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`)
    .max(PASSWORD_MAX_LENGTH, `A password is at most ${PASSWORD_MAX_LENGTH} characters.`),
  name: text().trim().min(1, "Name can't be empty.").max(100, 'A name is at most 100 characters.'),
});

const logInInput = z.object({ email: z.string().trim().toLowerCase(), password: z.string() });
const INCORRECT_CREDENTIALS = 'The email or password is incorrect.';

const toUser = (entity: UserEntity): User => ({ id: entity.id, email: entity.email, name: entity.name, createdAt: entity.createdAt });

export class UserService {
  constructor(private readonly db: DataSource) {}

  async signUp(input: unknown): Promise<User> {
    const { email, password, name } = parseInput(signUpInput, input);
    const passwordHash = await hashPassword(password);
    try {
      const user = this.db.getRepository(UserEntity).create({ id: newId('usr'), email, name, passwordHash });
      return toUser(await this.db.getRepository(UserEntity).save(user));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw conflict('An account with this email already exists. Log in instead.', 'email');
      }
      throw error;
    }
  }

  /** The user these credentials belong to; the same error for an unknown email and a wrong password. */
  async authenticate(input: unknown): Promise<User> {
    const { email, password } = parseInput(logInInput, input);
    // No stored email contains NUL (sign-up refuses it), and PostgreSQL could not even compare it.
    const entity = email.includes('\0') ? null : await this.db.getRepository(UserEntity).findOneBy({ email });
    if (!(await passwordMatches(entity?.passwordHash ?? null, password)) || !entity) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, INCORRECT_CREDENTIALS);
    }
    return toUser(entity);
  }
}
