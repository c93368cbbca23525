// A set of permissions as a permission claim carries it: a hexadecimal number whose bit i stands for
// PERMISSION_BITS[i]. The 15 names as a JSON array were 221 of a caller's claim's 794 characters, and the claim
// travels with every project and member of an overview (see permission-claims.ts); as bits they are 4.
import { PERMISSIONS, type Permission } from './permissions';

/**
 * Each permission's bit, for good: a new permission is appended, and none moves or is reused, since a claim signed
 * before a change is still checked after it (by a replica not yet upgraded, or within its two minutes).
 */
export const PERMISSION_BITS: readonly Permission[] = [
  'organization:read',
  'organization:update',
  'organization:delete',
  'members:read',
  'members:manage',
  'roles:manage',
  'owners:manage',
  'projects:read',
  'projects:write',
  'environments:write',
  'keys:read',
  'keys:manage',
  'audit:read',
  'billing:read',
  'billing:manage',
];

// Far more bits than permissions will ever be; a longer value is refused before it is read.
const MAX_HEX_DIGITS = 16;
const HEX = /^[0-9a-f]+$/;

/** The bits of `permissions` (names outside the matrix are not encodable: a caller states only what it knows). */
export function encodePermissions(permissions: readonly string[]): string {
  let bits = 0n;
  for (const permission of permissions) {
    const index = PERMISSION_BITS.indexOf(permission as Permission);
    if (index < 0) throw new Error(`"${permission}" has no bit in PERMISSION_BITS.`);
    bits |= 1n << BigInt(index);
  }
  return bits.toString(16);
}

/**
 * The permissions `bits` stand for, in the matrix's order; null when it is not such a number. A bit this replica has
 * no name for (a permission added by a newer issuer) grants nothing here.
 */
export function decodePermissions(bits: unknown): Permission[] | null {
  if (typeof bits !== 'string' || bits.length > MAX_HEX_DIGITS || !HEX.test(bits)) return null;
  const value = BigInt(`0x${bits}`);
  const granted = new Set(PERMISSION_BITS.filter((_, index) => (value >> BigInt(index)) & 1n));
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => granted.has(permission));
}
