// What an audit event may say about a change: the fields that changed, never a secret.

/** Keys whose values are secrets or stand in for one: an audit event records that they changed, never what they were. */
const SECRET_KEY = /secret|token|password|hash|private/i;
export const REDACTED = '[redacted]';

/** A copy of `value` safe to store in the audit log: secret-looking keys redacted at any depth, undefined dropped. */
export function redact(value: Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    safe[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(item);
  }
  return safe;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return redact(value as Record<string, unknown>);
  return value;
}

/**
 * The before/after pair of an update, narrowed to the fields whose values differ, so an event reads as what changed
 * ("name: Acme → Acme Labs") rather than as two copies of the whole object.
 */
export function changes(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const changed = Object.keys(after).filter((key) => after[key] !== undefined && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  const pick = (source: Record<string, unknown>) => redact(Object.fromEntries(changed.map((key) => [key, source[key] ?? null])));
  return { before: pick(before), after: pick(after) };
}
