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

/** A subgraph's SDL as its code prints it, and the URL the supergraph records for it. */
export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

export async function printSubgraphs(): Promise<SubgraphSdl[]> {
  // Each subgraph's default URL goes into the supergraph; a router deployed elsewhere overrides it (docs/routers.md).
  return Promise.all(SUBGRAPHS.map(async ({ name, port }) => ({ name, url: localGraphQLUrl(port), sdl: (await SCHEMAS[name]()).sdl })));
}

/** The supergraph SDL, or composition's errors (`[CODE] message`) when the subgraphs do not compose. */
export function compose(subgraphs: SubgraphSdl[]): { supergraph: string; errors?: undefined } | { supergraph?: undefined; errors: string[] } {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) return { errors: result.errors.map((e) => (e.extensions.code ? `[${String(e.extensions.code)}] ${e.message}` : e.message)) };
  return { supergraph: result.supergraphSdl };
}
