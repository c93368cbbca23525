// The client-facing schema: what clients of the gateway introspect, without the federation machinery of the supergraph.
import { Supergraph } from '@apollo/federation-internals';
import { printSchema, type GraphQLSchema } from 'graphql';

/** The supergraph's API schema, as federation derives it: join and link directives, `_entities` and `@inaccessible` elements removed. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** graphql-js's printer, in composition's order (types sorted by name, fields as the subgraphs declare them). */
export const printApiSchema = (schema: GraphQLSchema): string => `${printSchema(schema).trim()}\n`;
