// Validates mutation input with zod, turning the first problem into a BAD_USER_INPUT error that names the field.
import { z } from 'zod';
import { badInput } from './errors';
import { textProblem } from './input-text';

/** Text PostgreSQL can store and clients can read back: NUL characters and lone surrogates are refused as bad input. */
export const text = () =>
  z.string().check((ctx) => {
    const problem = textProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: `Text can't contain ${problem}.` });
  });

// Characters that change how a name looks without being seen: controls (newlines, escapes), bidirectional embeddings,
// overrides and isolates (U+202A–U+202E, U+2066–U+2069: "‮gpj.exe" shows as "exe.jpg"), and zero-width characters.
const HIDDEN_CHARACTER = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200B-\u200D\uFEFF]/gu;

// The zero-width joiner (U+200D) and non-joiner (U+200C) are how some names are written, and are kept where they do
// that (Unicode's identifier rules, UAX #31, allow them in the same places): between emoji of one sequence
// ("👩‍💻"), after a virama or other combining mark of an Indic script ("क्‍ष"), and between letters of the
// scripts whose letters join ("می‌خواهم", Persian's everyday non-joiner). Anywhere else they only hide a difference.
const EMOJI_BEFORE_JOINER = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const EMOJI_AFTER_JOINER = /^\p{Extended_Pictographic}/u;
const JOINING_LETTER_OR_MARK_BEFORE = /[\p{M}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]$/u;
const LETTER_OR_MARK_AFTER = /^[\p{L}\p{M}]/u;

function writesTheName(joiner: string, before: string, after: string): boolean {
  if (joiner === '\u200D' && EMOJI_BEFORE_JOINER.test(before) && EMOJI_AFTER_JOINER.test(after)) return true;
  return JOINING_LETTER_OR_MARK_BEFORE.test(before) && LETTER_OR_MARK_AFTER.test(after);
}

/** The first character that only hides what a name says, and its index; null when there is none. */
function hiddenCharacter(name: string): { character: string; index: number } | null {
  for (const match of name.matchAll(HIDDEN_CHARACTER)) {
    const [character] = match;
    const index = match.index;
    const joiner = character === '\u200C' || character === '\u200D';
    if (joiner && writesTheName(character, name.slice(0, index), name.slice(index + 1))) continue;
    return { character, index };
  }
  return null;
}

/** An email address as stored and compared: trimmed, in lower case, valid, at most 254 characters. */
export const emailAddress = () =>
  text()
    .trim()
    .toLowerCase()
    .max(254, 'An email address is at most 254 characters.')
    .pipe(z.email('Enter a valid email address, like name@example.com.'));

/**
 * The one rule for what people name things (users, organizations, projects, tokens): 1 to 100 characters once trimmed
 * and normalised to NFC (so "é" typed either way is one name), with no hidden characters.
 */
export const displayName = () =>
  text()
    .normalize('NFC')
    .trim()
    .min(1, "Name can't be empty.")
    .max(100, 'A name is at most 100 characters.')
    .check((ctx) => {
      const hidden = hiddenCharacter(ctx.value);
      if (!hidden) return;
      const codePoint = `U+${hidden.character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      const position = [...ctx.value.slice(0, hidden.index)].length + 1;
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `Name can't contain control, direction-changing or zero-width characters (it has ${codePoint} at character ${position}).`,
      });
    });

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
