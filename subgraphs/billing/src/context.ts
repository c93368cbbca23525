// What every billing resolver receives with each request: the caller, billing's services and fresh DataLoaders.
import type { DataSource } from 'typeorm';
import type { BaseRequestContext, ClaimVerifier } from '@orgapi/shared';
import { creditLoaders } from './credits/credit.loader';
import type { Meter } from './meters/meters';
import { CreditService } from './credits/credit.service';
import { usageLoaders } from './usage/usage.loader';
import { UsageService } from './usage/usage.service';

export interface BillingContext extends BaseRequestContext {
  credits: CreditService;
  usage: UsageService;
  /** The deployment's meters and their prices (METERS). */
  meters: Meter[];
  /** Checks the claims organizations signs of the caller's permissions (access.ts). */
  claims: ClaimVerifier;
  loaders: ReturnType<typeof creditLoaders> & ReturnType<typeof usageLoaders>;
}

/** Makes the services once; each request then gets its own loaders, so batching and caching never outlive it. */
export function billingContext(db: DataSource, claims: ClaimVerifier, meters: Meter[]): () => Omit<BillingContext, keyof BaseRequestContext> {
  const credits = new CreditService(db.manager);
  const usage = new UsageService(db.manager);
  return () => ({ credits, usage, claims, meters, loaders: { ...creditLoaders(db), ...usageLoaders(db) } });
}
