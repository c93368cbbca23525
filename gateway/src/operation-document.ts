// Hands the gateway's planner only the operation a request runs, with the fragments it uses, as graphql-js runs it.
import { getOperationAST, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { ApolloGateway } from '@apollo/gateway';

/**
 * `document` reduced to the operation named `operationName` and the fragments it spreads, directly or through other
 * fragments; unchanged when it holds one operation or none by that name (Apollo Server answers those itself).
 *
 * A document may define several operations and run one of them, and a fragment only another operation uses may
 * use that operation's variables. graphql-js ignores what the operation does not use, but @apollo/gateway's
 * planner reads every fragment against the chosen operation's variables, and fails (HTTP 500) on such a valid request.
 */
export function operationDocument(document: DocumentNode, operationName: string | null | undefined): DocumentNode {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = getOperationAST(document, operationName);
  if (operations.length < 2 || !operation) return document;
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const used = new Set<string>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.add(fragment.name.value);
          pending.push(fragment);
        }
      },
    });
  }
  return { ...document, definitions: [operation, ...[...used].map((name) => fragments.get(name)!)] };
}

type Gateway = Pick<ApolloGateway, 'load' | 'onSchemaLoadOrUpdate' | 'stop'>;

/** The gateway, with each request's document reduced to the operation it runs before the planner reads it. */
export function runningOneOperation(gateway: Gateway): Gateway {
  return {
    async load(options) {
      const { schema, executor } = await gateway.load(options);
      return {
        schema,
        executor: (requestContext) => executor({ ...requestContext, document: operationDocument(requestContext.document, requestContext.request.operationName) }),
      };
    },
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
  };
}
