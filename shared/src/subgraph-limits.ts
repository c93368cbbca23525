// The limits every subgraph puts on what reaches it, so that no request, even with the router secret, exhausts it.
import type { ApolloServerPlugin } from '@apollo/server';
import type { ParseOptions } from 'graphql';
import { z } from 'zod';
import { DEFAULT_MAX_DEPTH, depthLimit } from './depth-limit';
import { DEFAULT_MAX_REPRESENTATIONS, representationLimit, routerBodyBytes } from './representation-limit';
import { DEFAULT_MAX_RESPONSE_BYTES, responseSizeLimit } from './response-size-limit';
import { DEFAULT_MAX_TOKENS, tokenLimit } from './token-limit';

/**
 * The environment variables that set them. Each default is sized so that every fetch our gateway plans within its
 * own limits passes (the reasons are beside each default); behind a router with other limits, size these to match.
 */
export const subgraphLimitEnv = {
  MAX_QUERY_DEPTH: z.coerce.number().int().min(1).max(1_000).default(DEFAULT_MAX_DEPTH),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(DEFAULT_MAX_TOKENS),
  MAX_REPRESENTATIONS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_REPRESENTATIONS),
  MAX_RESPONSE_BYTES: z.coerce.number().int().min(1_000).max(2 ** 30).default(DEFAULT_MAX_RESPONSE_BYTES),
};
export type SubgraphLimitConfig = { [K in keyof typeof subgraphLimitEnv]: number };

/** What a subgraph's Apollo Server installs: the token limit while parsing, the others as plugins. */
export interface InstalledLimits {
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin[];
  /** The largest body a router may send, sized for the representations allowed. */
  routerBodyBytes: number;
}

export function subgraphLimits(config: Partial<SubgraphLimitConfig> = {}): InstalledLimits {
  return {
    parseOptions: tokenLimit({ maxTokens: config.MAX_QUERY_TOKENS }),
    plugins: [
      depthLimit({ maxDepth: config.MAX_QUERY_DEPTH }),
      representationLimit({ maxRepresentations: config.MAX_REPRESENTATIONS }),
      responseSizeLimit({ maxResponseBytes: config.MAX_RESPONSE_BYTES }),
    ],
    routerBodyBytes: routerBodyBytes(config.MAX_REPRESENTATIONS),
  };
}
