// The breaking changes to the client-facing schema that were accepted on purpose, each with its reason (schema/breaking-changes.json).
import type { Change } from '@graphql-inspector/core';

/** One accepted change, named as graphql-inspector names it; the reason is for the reviewer and for clients' release notes. */
export interface AcceptedBreakingChange {
  path: string;
  message: string;
  reason: string;
}

// What the check suggests as the reason; left as is, it accepts nothing.
const UNWRITTEN_REASON = '<why clients can take this>';

const written = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '' && value !== UNWRITTEN_REASON;

/** Reads the override file's text: an array of `{ path, message, reason }`, with a message and a written reason. */
export function parseAcceptedBreakingChanges(json: string, file: string): AcceptedBreakingChange[] {
  const entries: unknown = JSON.parse(json);
  if (!Array.isArray(entries)) throw new Error(`${file} must hold an array of { "path", "message", "reason" }.`);
  entries.forEach((entry: Partial<Record<keyof AcceptedBreakingChange, unknown>> | null, index) => {
    if (typeof entry?.path !== 'string' || !written(entry.message) || !written(entry.reason)) {
      throw new Error(`${file}, entry ${index}: needs a "path", a "message" and a written "reason".`);
    }
  });
  return entries as AcceptedBreakingChange[];
}

export const isAccepted = (change: Change, accepted: readonly AcceptedBreakingChange[]): boolean =>
  accepted.some((entry) => entry.path === (change.path ?? '') && entry.message === change.message);

/** The entry that accepts `change`, to paste into the override file once its reason is written. */
export const acceptanceFor = (change: Change): AcceptedBreakingChange => ({ path: change.path ?? '', message: change.message, reason: UNWRITTEN_REASON });
