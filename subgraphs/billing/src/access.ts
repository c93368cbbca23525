// Every access rule of billing, with one verb, on the caller's permissions as organizations signed them (@requires).
import { forbidden, requireViewer, type Permission } from '@orgapi/shared';
import type { BillingContext } from './context';
import type { ExtendedTypeName } from './extended.type';

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
