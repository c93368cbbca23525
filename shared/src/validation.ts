// Validates mutation input with zod, turning the first problem into a BAD_USER_INPUT error that names the field.
import { z } from 'zod';
import { badInput } from './errors';

/** Text PostgreSQL can store: NUL characters are refused as bad input rather than failing in the database. */
export const text = () => z.string().refine((value) => !value.includes('\0'), "Text can't contain NUL characters.");

/** The one rule for what people name things (users, organizations, projects, tokens): 1 to 100 characters once trimmed. */
export const displayName = () => text().trim().min(1, "Name can't be empty.").max(100, 'A name is at most 100 characters.');

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.');
  throw badInput(issue.message, field || undefined);
}

/** PostgreSQL's code for a unique-constraint violation, and a check for it on a driver error. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
