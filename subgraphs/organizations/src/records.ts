// The plain shapes the loaders return and the resolvers pass around.
import type { Role } from '@orgapi/shared';

export type EnvironmentMode = 'SANDBOX' | 'LIVE';

export interface OrganizationRecord {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

export interface MembershipRecord {
  id: string;
  organizationId: string;
  userId: string;
  role: Role;
  joinedAt: Date;
}

export interface ProjectRecord {
  id: string;
  organizationId: string;
  name: string;
  createdAt: Date;
}

export interface EnvironmentRecord {
  id: string;
  organizationId: string;
  projectId: string;
  mode: EnvironmentMode;
  configuration: Record<string, unknown>;
  createdAt: Date;
}
