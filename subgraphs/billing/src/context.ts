// What every billing resolver receives with each request.
import type { BaseRequestContext } from '@orgapi/shared';
import type { creditLoaders } from './credits/credit.loader';
import type { usageLoaders } from './usage/usage.loader';

export interface BillingContext extends BaseRequestContext {
  loaders: ReturnType<typeof creditLoaders> & ReturnType<typeof usageLoaders>;
}
