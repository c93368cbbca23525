// The API schema clients see, as the committed supergraph defines it: for tests that must cover every field.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/** schema/supergraph.graphql without the federation machinery. */
export function committedApiSchema(): GraphQLSchema {
  const supergraph = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
  return Supergraph.build(supergraph).apiSchema().toGraphQLJSSchema();
}
