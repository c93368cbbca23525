// Every access rule of billing, with one verb each: on the caller's permissions as organizations signed them
// (@requires), as organizations states them for a named organization, as platform operator, or as a secret key.
import { AppError, ErrorCode, forbidden, notFound, requireViewer, unauthenticated, type ApiKeyCaller, type Permission, type Principal } from '@orgapi/shared';
import type { BillingContext } from './context';
import type { ExtendedTypeName } from './extended.type';
import { isPlatformOperator } from './platform-operators';

/**
 * The caller must be signed in and hold `permission` in the organization that owns the entity, according to the
 * claim organizations signed for this caller and this entity. A missing, forged, expired or borrowed claim grants
 * nothing: the answer is the one a caller without the permission gets.
 */
export async function authorize(
  context: BillingContext,
  typename: ExtendedTypeName,
  entity: { id: string; viewerPermissionsClaim?: unknown },
  permission: Permission,
): Promise<void> {
  const caller = requireViewer(context);
  const permissions = await context.claims.permissions(entity.viewerPermissionsClaim, caller, { typename, id: entity.id });
  if (!permissions.includes(permission)) throw forbidden(`Your role does not allow ${permission} in this organization.`);
}

/**
 * For a mutation that names an organization by ID: the caller must hold `permission` there, as organizations says
 * now. An organization the caller is not a member of is NOT_FOUND, so IDs reveal nothing.
 */
export async function authorizeInOrganization(context: BillingContext, organizationId: string, permission: Permission): Promise<Principal> {
  const caller = requireViewer(context);
  const permissions = await context.memberPermissions(caller.userId, organizationId);
  if (permissions.length === 0) throw notFound('Organization');
  if (!permissions.includes(permission)) throw forbidden(`Your role does not allow ${permission} in this organization.`);
  return caller;
}

/** Granting credits and setting overdrafts is for the platform's operators (PLATFORM_OPERATORS), in any organization. */
export function requirePlatformOperator(context: BillingContext): Principal {
  const caller = requireViewer(context);
  if (!isPlatformOperator(context.platformOperators, caller)) throw forbidden('Only platform operators may do this.');
  return caller;
}

/** Usage is recorded by machines, with an environment's secret key: never a publishable key, never a person's token. */
export function requireSecretKey(context: BillingContext): ApiKeyCaller {
  if (context.apiKey?.kind === 'SECRET') return context.apiKey;
  if (context.apiKey) {
    throw forbidden('A publishable key cannot record usage: it is meant to be seen by browsers. Use the environment\'s secret key (sk_…).');
  }
  if (context.principal) {
    throw new AppError(ErrorCode.FORBIDDEN, "Usage is recorded with an environment's secret key (sk_live_… or sk_test_…), not with a user's token.");
  }
  throw unauthenticated("Send an environment's secret key as the bearer token to record usage.");
}
