// Builds a subgraph's federated schema from type-graphql resolvers, and prints the SDL the gateway composes.
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { CostModel, DEFAULT_MAX_QUERY_COST } from './cost';
import { readCachePlugin } from './read-cache-plugin';
import { costLimit } from './cost-limit';
import { compiledExecution } from './compiled-execution';
import { stringifyInChunks } from './chunked-results';
import { formatError } from './errors';
import { operationChecks } from './operation-checks';
import { subgraphLimits, type InstalledLimits } from './subgraph-limits';
import { guardEntities } from './representations';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';

export const FEDERATION_VERSION = 'https://specs.apollo.dev/federation/v2.9';
const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@inaccessible', '@tag', '@cost', '@listSize'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReferenceResolver = (reference: any, context: any, info: any) => unknown;

export interface FederatedSchemaOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  /** `__resolveReference` for each entity type this subgraph can resolve, by GraphQL type name. */
  references: Record<string, ReferenceResolver>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL as the gateway's composition sees it. */
  sdl: string;
}

// Every object type declares `simpleResolvers: true`: plain fields are then read as properties instead of going
// through type-graphql's per-field wrapper, which costs several times more on every field of every response.
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<FederatedSchema> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    // Federation directives (@key, @requires …) are defined by buildSubgraphSchema below, not here.
    skipCheck: true,
    validate: false,
  });
  const typeDefs = parse(
    `extend schema @link(url: "${FEDERATION_VERSION}", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(', ')}])\n\n` +
      printSchemaWithDirectives(typeGraphQLSchema),
  );
  const resolvers = createResolversMap(typeGraphQLSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolveReference] of Object.entries(options.references)) {
    const fields = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    resolvers[typeName] = { ...fields, __resolveReference: resolveReference } as GraphQLResolverMap<unknown>[string];
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  guardEntities(schema);
  return { schema, sdl: printSubgraphSchema(schema) };
}

/**
 * The Apollo Server every subgraph runs: our error formatting and request checks, introspection for composition, no
 * inline tracing, its limits, and its own cost budget: a misconfigured router or a leaked router secret must not let
 * one request build millions of objects.
 */
export function subgraphServer<TContext extends BaseContext>(
  schema: GraphQLSchema,
  limits: InstalledLimits = subgraphLimits(),
  maxQueryCost = DEFAULT_MAX_QUERY_COST,
  compiled = true,
): ApolloServer<TContext> {
  const model = new CostModel(schema);
  // The process entry point (runService) stops the server; Apollo's own signal handlers would exit before it drains.
  return new ApolloServer<TContext>({
    // graphql-jit: organizations' share of the bench's overview 10.7 and 9.9 -> 6.8 and 6.9 ms of CPU, billing's 4.0
    // and 3.6 -> 2.8 and 3.0 ms (each subgraph alone, alternating; BENCHMARKS.md).
    ...(compiled ? { gateway: compiledExecution(schema) } : { schema }),
    formatError,
    stringifyResult: stringifyInChunks,
    introspection: true,
    // Routers only (the router secret): our gateway sends the fetches of one client request to one subgraph together,
    // sharing one context (one credential check, one set of DataLoaders). At most MAX_BATCH_OPERATIONS each.
    allowBatchedHttpRequests: true,
    stopOnTerminationSignals: false,
    parseOptions: limits.parseOptions,
    // The checks come first: the plugins after them may assume an operation that resolved and text that is text.
    plugins: [operationChecks(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), ...limits.plugins, costLimit<TContext>({ model: () => model, maxCost: maxQueryCost }), readCachePlugin<TContext>()],
  });
}
