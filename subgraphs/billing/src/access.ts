// Every access rule of billing, with one verb, on the permissions the gateway brought from the organizations subgraph (@requires).
import { forbidden, requireViewer, type Permission } from '@orgapi/shared';
import type { BillingContext } from './context';

/** The caller must be signed in and hold `permission` in the organization that owns `entity`. */
export function authorize(context: BillingContext, entity: { viewerPermissions?: string[] }, permission: Permission): void {
  requireViewer(context);
  if (!entity.viewerPermissions?.includes(permission)) {
    throw forbidden(`Your role does not allow ${permission} in this organization.`);
  }
}
