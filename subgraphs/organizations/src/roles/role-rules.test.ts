// The pure rules of roles: built-in role IDs, effective permissions and what a custom role may hold.
import { permissionsOf } from '@orgapi/shared';
import { builtInRoleId, builtInRoleOfId, effectivePermissions, lacking, OWNER_ONLY_PERMISSIONS, permissionProblems, RESERVED_ROLE_KEYS } from './role-rules';

describe('built-in roles', () => {
  it('have fixed IDs that name them back', () => {
    expect(builtInRoleId('OWNER')).toBe('role_owner');
    expect(builtInRoleOfId('role_viewer')).toBe('VIEWER');
    expect(builtInRoleOfId('role_custom')).toBeNull();
    expect(builtInRoleOfId('role_01h455vb4pex5vsknk084sn02q')).toBeNull();
  });

  it('reserve their keys and the word custom', () => {
    expect(RESERVED_ROLE_KEYS).toEqual(['owner', 'admin', 'billing', 'member', 'viewer', 'custom']);
  });
});

describe('effective permissions', () => {
  it('come from the matrix for a built-in role, whatever is stored beside it', () => {
    expect(effectivePermissions('MEMBER', ['billing:manage'])).toEqual(permissionsOf('MEMBER'));
  });

  it("are a custom role's own, in the matrix's order, ignoring keys the matrix no longer knows", () => {
    expect(effectivePermissions('CUSTOM', ['billing:read', 'gone:away', 'organization:read'])).toEqual(['organization:read', 'billing:read']);
    expect(effectivePermissions('CUSTOM', null)).toEqual([]);
  });
});

describe('what a custom role may hold', () => {
  it('is only permissions of the matrix, never the owner-only ones', () => {
    expect(OWNER_ONLY_PERMISSIONS).toEqual(['organization:delete', 'owners:manage']);
    expect(permissionProblems(['members:read', 'nope', 'owners:manage', 'nope'])).toEqual({ unknown: ['nope'], ownerOnly: ['owners:manage'] });
    expect(permissionProblems(['members:read'])).toEqual({ unknown: [], ownerOnly: [] });
  });

  it('is what the giver lacks, when they lack some', () => {
    expect(lacking(['members:read'], ['billing:manage', 'members:read', 'audit:read'])).toEqual(['audit:read', 'billing:manage']);
  });
});
