// Searching text with SQL LIKE: what a person types is a substring, never a pattern.

/** A LIKE pattern (use with `ESCAPE '\'`) matching `search` anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
