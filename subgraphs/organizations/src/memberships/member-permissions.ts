// Tells billing what a user may do in an organization, for its root mutations: they name no entity of organizations,
// so no signed permissions claim reaches billing through the query plan, and billing asks instead.
import { z } from 'zod';
import { badInput, findUnsafeText, inMatrixOrder, isId, readBody, sendJson, type Permission, type Queryable, type Route } from '@orgapi/shared';
import { membershipLoaders } from './membership.loader';

// Without a user, the question is only whether the organization exists (platform operators act in any organization).
const question = z.object({ userId: z.string().min(1).max(100).optional(), organizationId: z.string().min(1).max(100) });

const ASK = 'Send {"userId": "usr_…", "organizationId": "org_…"} (userId may be left out).';

/**
 * The permissions `userId` holds in a live organization through their built-in or custom role, in the matrix's order;
 * none for a non-member, a deleted organization or an ID that names nothing (billing passes on what its client sent).
 */
export async function memberPermissions(db: Queryable, userId: string, organizationId: string): Promise<Permission[]> {
  if (!isId(userId, 'usr') || !isId(organizationId, 'org')) return [];
  // The same read as every access check here: the caller's membership, with its effective permissions.
  const membership = await membershipLoaders(db, userId).viewerMembership.load(organizationId);
  return membership ? inMatrixOrder(membership.permissions) : [];
}

/** Whether the organization exists and is not deleted. */
export async function organizationExists(db: Queryable, organizationId: string): Promise<boolean> {
  if (!isId(organizationId, 'org')) return false;
  const [row] = await db.query('SELECT 1 FROM organizations WHERE id = $1 AND deleted_at IS NULL', [organizationId]);
  return Boolean(row);
}

/**
 * POST {"userId"?, "organizationId"} → {"organizationExists": true, "permissions": ["organization:read", …]};
 * internal (router secret only), uncached.
 */
export function memberPermissionsRoute(db: Queryable): Route {
  return async (req, res) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, 4096));
    } catch {
      throw badInput(ASK);
    }
    const unsafe = findUnsafeText(body);
    if (unsafe) throw badInput(`The ${unsafe.path.join('.') || 'body'} contains ${unsafe.problem}.`);
    const asked = question.safeParse(body);
    if (!asked.success) throw badInput(ASK);
    const { userId, organizationId } = asked.data;
    sendJson(res, 200, {
      organizationExists: await organizationExists(db, organizationId),
      permissions: userId ? await memberPermissions(db, userId, organizationId) : [],
    });
  };
}
