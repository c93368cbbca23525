// An Apollo Server plugin that prices each operation before it runs and refuses those over the per-operation budget.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { tooComplex, type CostModel } from './cost';

export interface CostLimitOptions<TContext extends BaseContext> {
  /** The model to price with; undefined until the schema is known (a gateway still composing), and then nothing is priced. */
  model: () => CostModel | undefined;
  /** The most one operation may cost. */
  maxCost: number;
  /** Runs for every operation within the budget, with its cost: charging it to the caller's rate limit. */
  charge?: (cost: number, context: TContext) => Promise<void>;
}

/**
 * Runs after validation and before execution (a gateway plans in execution), so a refused operation never reaches
 * a resolver or a subgraph. The refusal is QUERY_TOO_COMPLEX with `extensions.cost` and `extensions.limit`, HTTP 400.
 */
export function costLimit<TContext extends BaseContext>(options: CostLimitOptions<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operation, contextValue }) {
          const model = options.model();
          if (!model) return;
          const cost = model.costOf({ document, variables: request.variables, operationName: operation?.name?.value });
          if (cost > options.maxCost) throw tooComplex(cost, options.maxCost);
          await options.charge?.(cost, contextValue);
        },
      };
    },
  };
}
