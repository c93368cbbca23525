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

export interface ComposedSchemas {
  subgraphs: { name: string; sdl: string }[];
  supergraph: string;
}

export async function composeSchemas(): Promise<ComposedSchemas> {
  const subgraphs = await Promise.all(SUBGRAPHS.map(async ({ name, url, build }) => ({ name, url, sdl: (await build()).sdl })));
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return { subgraphs: subgraphs.map(({ name, sdl }) => ({ name, sdl })), supergraph: result.supergraphSdl };
}
