// Apollo Server's `stringifyResult` for every service, and its counterpart in graphql-request.ts: a result's JSON in
// pieces (json-chunks.ts), so that no answer is ever one string of its whole length.
//
// Apollo Server wants a string back, and joins a batch's strings into one (`[a,b]`). So the string handed back is a
// placeholder, NUL, a number, NUL, and the pieces wait here until executeGraphQL, which awaited that very request,
// takes them: JSON text never holds a raw NUL (JSON.stringify writes it as \u0000), so placeholders cannot be forged
// by what a result says, and whatever Apollo put around them (a batch's brackets and commas) is kept as text.
import type { FormattedExecutionResult } from 'graphql';
import { jsonChunks } from './json-chunks';

const PLACEHOLDER = '\u0000';
/** Pieces waiting for their request's writer; more than this means nothing takes them, and the oldest are dropped. */
const MAX_WAITING = 10_000;
const waiting = new Map<number, string[]>();
let next = 0;

/** For ApolloServer's `stringifyResult`: a placeholder standing for the result's JSON. */
export function stringifyInChunks(result: FormattedExecutionResult): string {
  const id = next;
  next = (next + 1) % Number.MAX_SAFE_INTEGER;
  if (waiting.size >= MAX_WAITING) waiting.delete(waiting.keys().next().value!);
  waiting.set(id, jsonChunks(result));
  return `${PLACEHOLDER}${id}${PLACEHOLDER}`;
}

/**
 * The text of an answer Apollo Server made, in pieces: each placeholder replaced by the pieces it stands for, taken
 * once. Text without placeholders (an Apollo Server with its default stringifyResult) is one piece.
 */
export function answerPieces(text: string): string[] {
  if (!text.includes(PLACEHOLDER)) return [text];
  const parts = text.split(PLACEHOLDER);
  const pieces: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      if (parts[i]) pieces.push(parts[i]);
      continue;
    }
    const id = Number(parts[i]);
    const chunks = waiting.get(id);
    if (!chunks) throw new Error(`The answer's JSON (placeholder ${id}) was taken already or never made: was it written twice?`);
    waiting.delete(id);
    pieces.push(...chunks);
  }
  return pieces;
}
