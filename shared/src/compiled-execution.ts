// Runs a subgraph's operations with graphql-jit: each operation compiled once into a function, then run as that
// function, instead of graphql-js walking the document and the schema for every field of every request.
//
// Apollo Server takes an executor only from a "gateway" (GatewayInterface); this is one that serves the subgraph's own
// schema. Apollo Server still parses and validates (with its document cache), and the plugins still see each request.
// graphql-jit reads a field without a resolver as a plain property and does not await it: a field whose value may be
// a promise needs a resolver (pagination.ts's totalCount).
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { useSharedShapeRequestContext } from './gateway-request-context';

type Gateway = NonNullable<Extract<ApolloServerOptions<BaseContext>, { gateway?: unknown }>['gateway']>;

/**
 * Compiled operations kept: a subgraph sees few distinct ones (its router's plans), and each costs a few milliseconds
 * to compile; a caller sending new documents can only make it compile more, never keep more than this.
 */
const COMPILED_OPERATIONS = 1_000;

/** A GatewayInterface that executes `schema`'s operations compiled by graphql-jit. */
export function compiledExecution(schema: GraphQLSchema): Gateway {
  // Gateway mode: Apollo Server's request context for the executor, without a hidden class per request.
  useSharedShapeRequestContext();
  const compiled = new LRUCache<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>({ max: COMPILED_OPERATIONS });
  const compile = (document: DocumentNode, operationName: string | null) => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const name = operationName ?? '';
    let query = byName.get(name);
    if (!query) byName.set(name, (query = compileQuery(schema, document, operationName ?? undefined)));
    return query;
  };
  return {
    async load() {
      return {
        executor: async (requestContext) => {
          const query = compile(requestContext.document, requestContext.operationName);
          if (!isCompiledQuery(query)) return query;
          return query.query(undefined, requestContext.context, requestContext.request.variables ?? {});
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
