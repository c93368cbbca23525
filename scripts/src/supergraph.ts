// Composes the three subgraphs' SDL into the supergraph the gateway serves, without starting anything.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { FederatedSchema } from '@orgapi/shared';
import { identitySubgraph } from '@orgapi/identity';
import { organizationsSubgraph } from '@orgapi/organizations';
import { billingSubgraph } from '@orgapi/billing';

export const SUBGRAPHS: { name: string; url: string; build: () => Promise<FederatedSchema> }[] = [
  { name: 'identity', url: 'http://127.0.0.1:4001/graphql', build: identitySubgraph.buildSchema },
  { name: 'organizations', url: 'http://127.0.0.1:4002/graphql', build: organizationsSubgraph.buildSchema },
  { name: 'billing', url: 'http://127.0.0.1:4003/graphql', build: billingSubgraph.buildSchema },
];

/** A subgraph's SDL as its code prints it, and the URL the supergraph records for it. */
export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

export async function printSubgraphs(): Promise<SubgraphSdl[]> {
  return Promise.all(SUBGRAPHS.map(async ({ name, url, build }) => ({ name, url, sdl: (await build()).sdl })));
}

/** The supergraph SDL, or composition's errors (`[CODE] message`) when the subgraphs do not compose. */
export function compose(subgraphs: SubgraphSdl[]): { supergraph: string; errors?: undefined } | { supergraph?: undefined; errors: string[] } {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) return { errors: result.errors.map((e) => (e.extensions.code ? `[${String(e.extensions.code)}] ${e.message}` : e.message)) };
  return { supergraph: result.supergraphSdl };
}
