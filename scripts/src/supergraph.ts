// Composes the three subgraphs' SDL into the supergraph the gateway serves, without starting anything.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { localGraphQLUrl, SUBGRAPHS, type FederatedSchema, type SubgraphName } from '@orgapi/shared';
import { identitySubgraph } from '@orgapi/identity';
import { organizationsSubgraph } from '@orgapi/organizations';
import { billingSubgraph } from '@orgapi/billing';

const SCHEMAS: Record<SubgraphName, () => Promise<FederatedSchema>> = {
  identity: identitySubgraph.buildSchema,
  organizations: organizationsSubgraph.buildSchema,
  billing: billingSubgraph.buildSchema,
};

export interface ComposedSchemas {
  subgraphs: { name: string; sdl: string }[];
  supergraph: string;
}

// Each subgraph's default URL goes into the supergraph; a router deployed elsewhere overrides it (docs/routers.md).
export async function composeSchemas(): Promise<ComposedSchemas> {
  const subgraphs = await Promise.all(SUBGRAPHS.map(async ({ name, port }) => ({ name, url: localGraphQLUrl(port), sdl: (await SCHEMAS[name]()).sdl })));
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return { subgraphs: subgraphs.map(({ name, sdl }) => ({ name, sdl })), supergraph: result.supergraphSdl };
}
