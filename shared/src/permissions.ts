// The permission matrix: the one place that says what each organization role may do. Every subgraph enforces it.
export const ROLES = ['OWNER', 'ADMIN', 'BILLING', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'organization:read': 'See the organization: its name, slug and settings.',
  'organization:update': 'Rename the organization and change its settings.',
  'organization:delete': 'Delete the organization.',
  'members:read': 'See who is a member and with which role.',
  'members:manage': 'Invite and remove members and change their roles (but not owners).',
  'roles:manage': "Create, change and delete the organization's custom roles.",
  'owners:manage': 'Make members owners, change or remove owners, transfer ownership.',
  'projects:read': 'See projects and their environments.',
  'projects:write': 'Create, rename and delete projects.',
  'environments:write': 'Change environment configuration.',
  'keys:read': 'See API keys (without their secrets).',
  'keys:manage': 'Create and revoke API keys.',
  'audit:read': "See the organization's audit log: every change, who made it and from where.",
  'billing:read': 'See the credit balance, usage and statements.',
  'billing:manage': 'Change billing details and grant credits.',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const ALL = Object.keys(PERMISSIONS) as Permission[];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  OWNER: ALL,
  ADMIN: ALL.filter((p) => p !== 'organization:delete' && p !== 'owners:manage'),
  BILLING: ['organization:read', 'members:read', 'projects:read', 'billing:read', 'billing:manage'],
  MEMBER: ['organization:read', 'members:read', 'projects:read', 'projects:write', 'environments:write', 'keys:read', 'keys:manage'],
  VIEWER: ['organization:read', 'members:read', 'projects:read', 'keys:read'],
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** `permissions` without duplicates, in the matrix's order: how a set of permissions is stored and shown. */
export function inMatrixOrder(permissions: Iterable<Permission>): Permission[] {
  const wanted = new Set(permissions);
  return ALL.filter((permission) => wanted.has(permission));
}

/** True when `key` names a permission of the matrix. */
export function isPermission(key: string): key is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, key);
}
