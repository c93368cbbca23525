// Opaque, prefixed, time-sortable IDs (TypeID: a prefix plus a base32 UUIDv7), like Stripe's `cus_…`.
import { typeid, TypeID } from 'typeid-js';

export const ID_PREFIXES = ['usr', 'org', 'prj', 'env', 'mem', 'inv', 'key', 'ses', 'tok', 'grt', 'use', 'sgk', 'aud', 'eml', 'evt', 'role', 'cfv', 'dom', 'jrq', 'led', 'alt'] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

export function newId(prefix: IdPrefix): string {
  return typeid(prefix).toString();
}

/** True when `value` is a well-formed ID of the given kind; lets resolvers answer NOT_FOUND without a query. */
export function isId(value: string, prefix: IdPrefix): boolean {
  try {
    return TypeID.fromString(value).getType() === prefix;
  } catch {
    return false;
  }
}
