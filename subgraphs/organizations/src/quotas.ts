// How much one organization and one user may hold, so no tenant can grow the lists every query multiplies without bound.
//
// The defaults are a demanding SaaS customer's, not a free tier's: 100 projects fill one page of `projects(first: 100)`,
// 100 organizations are more than an agency or a consultant juggles, and 1,000 members is a large company's whole
// engineering department. Beyond them, a customer asks the operator, who raises the variable.
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AppError, ErrorCode } from '@orgapi/shared';
import { IN_LIVE_ORGANIZATION } from './organizations/organization.loader';

export interface Quotas {
  projectsPerOrganization: number;
  organizationsPerUser: number;
  membersPerOrganization: number;
  customRolesPerOrganization: number;
  pendingInvitationsPerOrganization: number;
  domainsPerOrganization: number;
}

const quota = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** MAX_PROJECTS_PER_ORGANIZATION, MAX_ORGANIZATIONS_PER_USER, MAX_MEMBERS_PER_ORGANIZATION, MAX_CUSTOM_ROLES_PER_ORGANIZATION, MAX_PENDING_INVITATIONS_PER_ORGANIZATION and MAX_DOMAINS_PER_ORGANIZATION. */
export const quotaEnv = {
  MAX_PROJECTS_PER_ORGANIZATION: quota(100),
  MAX_ORGANIZATIONS_PER_USER: quota(100),
  MAX_MEMBERS_PER_ORGANIZATION: quota(1_000),
  // As Clerk and WorkOS allow; a role editor lists them all (`Organization.roles`), so the list stays short.
  MAX_CUSTOM_ROLES_PER_ORGANIZATION: quota(20),
  // Invitations sent and not yet answered or expired: enough for a team's onboarding, too few to spam from.
  MAX_PENDING_INVITATIONS_PER_ORGANIZATION: quota(100),
  // Claimed domains, pending or verified: a company's few email domains, with room for its brands.
  MAX_DOMAINS_PER_ORGANIZATION: quota(20),
};

export const quotasOf = (config: { [K in keyof typeof quotaEnv]: number }): Quotas => ({
  projectsPerOrganization: config.MAX_PROJECTS_PER_ORGANIZATION,
  organizationsPerUser: config.MAX_ORGANIZATIONS_PER_USER,
  membersPerOrganization: config.MAX_MEMBERS_PER_ORGANIZATION,
  customRolesPerOrganization: config.MAX_CUSTOM_ROLES_PER_ORGANIZATION,
  pendingInvitationsPerOrganization: config.MAX_PENDING_INVITATIONS_PER_ORGANIZATION,
  domainsPerOrganization: config.MAX_DOMAINS_PER_ORGANIZATION,
});

/** QUOTA_EXCEEDED, with the limit that was reached. */
export const quotaExceeded = (message: string, limit: number) => new AppError(ErrorCode.QUOTA_EXCEEDED, message, { limit });

/**
 * Holds the organization's row until the transaction ends, so that a count taken next cannot be raced by another
 * creation in the same organization. NO KEY UPDATE, not UPDATE: rows that merely reference the organization
 * (their foreign keys take KEY SHARE) are not held up.
 */
export async function lockOrganization(tx: EntityManager, organizationId: string): Promise<void> {
  await tx.query('SELECT 1 FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [organizationId]);
}

/** Serializes changes to one user's memberships until the transaction ends: the user's row lives in identity, not here. */
export async function lockUser(tx: EntityManager, userId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`memberships-of:${userId}`]);
}

/** How many rows of `table` belong to `column` = `value`, read after the lock that keeps it from changing. */
export async function countOf(tx: EntityManager, table: 'projects' | 'memberships' | 'roles' | 'domains', column: 'organization_id' | 'user_id', value: string): Promise<number> {
  // A deleted organization's rows, and deleted projects, are kept but no longer count against anyone.
  const live = table === 'projects' ? ' AND deleted_at IS NULL' : '';
  const [{ count }] = await tx.query(`SELECT count(*)::int AS count FROM ${table} WHERE ${column} = $1 AND ${IN_LIVE_ORGANIZATION}${live}`, [value]);
  return count;
}
