// Password hashing with argon2id (the @node-rs/argon2 default) at OWASP's recommended cost.
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';
import { AppError, ErrorCode, text } from '@orgapi/shared';

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
const COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, COST);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no stored hash (unknown email) it still spends the same work
 * on a dummy hash, so response times do not reveal which emails have accounts.
 */
export async function passwordMatches(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    await verify(await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))), password);
    return false;
  }
  return verify(storedHash, password);
}

// The ~50,000 most common passwords from real breaches (zxcvbn's list), checked case-insensitively.
let common: Set<string> | undefined;
const isCommon = (password: string) => (common ??= new Set(dictionary['passwords-common'] as string[])).has(password.toLowerCase());

/** A new password: long enough, not absurdly long, and not one attackers try first. */
export const newPassword = text()
  .min(PASSWORD_MIN_LENGTH, `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `A password is at most ${PASSWORD_MAX_LENGTH} characters.`)
  .refine((password) => !isCommon(password), 'This password is one of the most common and easy to guess. Choose another.');

export type NewPassword = z.infer<typeof newPassword>;

/** Refuses a new password that is the account's own email address (the first thing a guesser tries). */
export function refuseEmailAsPassword(password: string, email: string, field: string): void {
  if (password.toLowerCase() === email) throw new AppError(ErrorCode.BAD_USER_INPUT, "Your password can't be your email address.", { field });
}
