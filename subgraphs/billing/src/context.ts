// What every billing resolver receives with each request: the caller, billing's services and fresh DataLoaders.
import type { DataSource } from 'typeorm';
import { lazyLoaders, preparedReads, type BaseRequestContext, type ClaimVerifier, type Principal, type RequestReads, type RevocationListener } from '@orgapi/shared';
import type { IncomingMessage } from 'node:http';
import { ledgerLoaders } from './ledger/ledger.loader';
import { LedgerService } from './ledger/ledger.service';
import type { MemberPermissions, OrganizationExists } from './member-permissions';
import { MeteringService } from './metering/metering.service';
import type { Meter } from './meters/meters';
import type { PlatformOperators } from './platform-operators';
import { usageLoaders } from './usage/usage.loader';
import { UsageService } from './usage/usage.service';

export interface BillingContext extends BaseRequestContext {
  ledger: LedgerService;
  metering: MeteringService;
  usage: UsageService;
  /** The deployment's meters and their prices (METERS). */
  meters: Meter[];
  /** Checks the claims organizations signs of the caller's permissions (access.ts). */
  claims: ClaimVerifier;
  /** Asks organizations what a user may do in an organization named by ID (root mutations). */
  memberPermissions: MemberPermissions;
  organizationExists: OrganizationExists;
  platformOperators: PlatformOperators;
  loaders: ReturnType<typeof createLoaders>;
}

/** One request's DataLoaders, each family made when the request first reads one of its loaders (lazy-loaders.ts). */
const createLoaders = lazyLoaders([ledgerLoaders, usageLoaders]);

export interface BillingDependencies {
  claims: ClaimVerifier;
  meters: Meter[];
  memberPermissions: MemberPermissions;
  organizationExists: OrganizationExists;
  platformOperators: PlatformOperators;
}

/**
 * Makes the services once; each request then gets its own loaders, so batching never outlives it. They read through
 * `changes`-aware prepared reads: results kept between requests while billing's tables have not changed.
 */
export function billingContext(
  db: DataSource,
  dependencies: BillingDependencies,
  changes: RevocationListener | undefined,
): (principal: Principal | null, req: IncomingMessage, reads: RequestReads) => Omit<BillingContext, keyof BaseRequestContext> {
  const ledger = new LedgerService(db.manager);
  const metering = new MeteringService(db.manager, dependencies.meters);
  const usage = new UsageService();
  const prepared = preparedReads(db, changes);
  return (_principal, _req, reads) => {
    const db = prepared.forRequest(reads.arrivedAt, reads.readCache);
    // An expiry written while reading: the rest of the request reads past kept results, which may predate it.
    const expire = (organizationId: string) => {
      reads.readCache.enabled = false;
      return ledger.expire(organizationId);
    };
    return { ...dependencies, ledger, metering, usage, loaders: createLoaders(db, expire) };
  };
}
