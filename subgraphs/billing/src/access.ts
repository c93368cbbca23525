// Billing's permission check, on the permissions the gateway brought from the organizations subgraph (@requires).
import { forbidden, requireViewer, type Permission } from '@orgapi/shared';
import type { BillingContext } from './context';

export function requirePermission(context: BillingContext, entity: { viewerPermissions?: string[] }, permission: Permission): void {
  requireViewer(context);
  if (!entity.viewerPermissions?.includes(permission)) {
    throw forbidden(`Your role does not allow ${permission} in this organization.`);
  }
}
