// The permission bits: every permission has one, none ever moves, and a set survives the trip through a claim.
import fc from 'fast-check';
import { decodePermissions, encodePermissions, PERMISSION_BITS } from './permission-bits';
import { inMatrixOrder, PERMISSIONS, ROLE_PERMISSIONS, type Permission } from './permissions';

const ALL = Object.keys(PERMISSIONS) as Permission[];

describe('permission bits', () => {
  it('give every permission of the matrix a bit of its own', () => {
    expect([...PERMISSION_BITS].sort()).toEqual([...ALL].sort());
    expect(new Set(PERMISSION_BITS).size).toBe(PERMISSION_BITS.length);
  });

  it('never move: a claim signed before a release is read the same after it (append new permissions at the end)', () => {
    expect(PERMISSION_BITS.slice(0, 15)).toEqual([
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
    ]);
    expect(encodePermissions(ROLE_PERMISSIONS.OWNER)).toBe('7fff');
    expect(encodePermissions(['organization:read', 'billing:read'])).toBe('2001');
  });

  it('bring back any set of permissions, in the matrix order, whatever order it was given in', () => {
    fc.assert(
      fc.property(fc.subarray(ALL), fc.boolean(), (permissions, reversed) => {
        const given = reversed ? [...permissions].reverse() : permissions;
        expect(decodePermissions(encodePermissions(given))).toEqual(inMatrixOrder(permissions));
      }),
    );
  });

  it('refuse to encode a name outside the matrix', () => {
    expect(() => encodePermissions(['organization:read', 'root'])).toThrow(/no bit/);
  });

  it('grant nothing for a bit this replica has no permission for (one added by a newer issuer)', () => {
    expect(decodePermissions((1n << 40n | 1n).toString(16))).toEqual(['organization:read']);
  });

  it.each([
    ['not a string', 0x7fff],
    ['an array of names', ['billing:read']],
    ['not hexadecimal', '7fffz'],
    ['signed', '-1'],
    ['empty', ''],
    ['longer than any real set', 'f'.repeat(17)],
  ])('read nothing from a value %s', (_case, value) => {
    expect(decodePermissions(value)).toBeNull();
  });
});
