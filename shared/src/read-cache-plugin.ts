// Turns kept reads off for a mutation (prepared-reads.ts): its resolvers must read what it just wrote, and the
// notification of that write may not have reached this process yet. Queries, `_entities` included, keep them on.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ReadCacheSwitch } from './prepared-reads';

export function readCachePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const readCache = (contextValue as { readCache?: ReadCacheSwitch }).readCache;
          if (readCache && operation?.operation !== 'query') readCache.enabled = false;
        },
      };
    },
  };
}
