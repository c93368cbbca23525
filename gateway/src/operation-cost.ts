// The gateway's cost limits: each operation priced from the supergraph, refused over budget, charged to its caller per minute.
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { CostModel, costLimit } from '@orgapi/shared';
import type { GatewayConfig } from './config';
import { costPerMinute } from './cost-per-minute';
import type { GatewayContext } from './gateway';

export interface OperationCost {
  plugin: ApolloServerPlugin<GatewayContext>;
  stop(): Promise<void>;
}

/** Whose budget an operation spends: the signed-in user's, or for an anonymous request its client address's. */
export function callerOf(context: Pick<GatewayContext, 'principal' | 'clientAddress'> & Partial<Pick<GatewayContext, 'apiKey'>>): string {
  if (context.principal) return `user:${context.principal.userId}`;
  if (context.apiKey) return `key:${context.apiKey.keyId}`;
  return `address:${context.clientAddress ?? 'unknown'}`;
}

export function operationCost(gateway: ApolloGateway, config: GatewayConfig): OperationCost {
  // Federation's API schema, which the gateway validates against, drops @cost and @listSize; the supergraph keeps them.
  let model: CostModel | undefined;
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    model = CostModel.fromSupergraph(coreSupergraphSdl);
  });
  const perMinute = config.COST_PER_MINUTE > 0 ? costPerMinute({ points: config.COST_PER_MINUTE, redisUrl: config.REDIS_URL }) : undefined;
  return {
    plugin: costLimit<GatewayContext>({
      model: () => model,
      maxCost: config.MAX_QUERY_COST,
      charge: perMinute && ((cost, context) => perMinute.charge(callerOf(context), cost)),
    }),
    stop: async () => perMinute?.stop(),
  };
}
