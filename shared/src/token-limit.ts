// A subgraph's token limit: graphql-js stops parsing a document longer than any query plan, before building it.
import type { ParseOptions } from 'graphql';

/**
 * Default 20,000. The gateway parses client documents of at most 5,000 tokens; a fetch it plans adds key fields,
 * `__typename`, `_entities` and variable definitions, and keeps fragments as fragments (measured with
 * @apollo/query-planner: the overview's largest fetch is 65 tokens against the client's 109; 30 aliased copies of a
 * large fragment, 454 client tokens, plan a 901-token fetch; 2,882 tokens of inline selections plan 2,822). Four times
 * the gateway's limit covers the worst of these with room to spare, and keeps parse and validation in milliseconds.
 */
export const DEFAULT_MAX_TOKENS = 20_000;

export interface TokenLimitOptions {
  /** The most lexical tokens a document may have. Default 20,000. */
  maxTokens?: number;
}

/**
 * Apollo Server's `parseOptions`: a longer document is refused while it is read, with GRAPHQL_PARSE_FAILED (HTTP
 * 400) and graphql-js's syntax error naming the limit, before any tree is built.
 */
export function tokenLimit({ maxTokens = DEFAULT_MAX_TOKENS }: TokenLimitOptions = {}): ParseOptions {
  return { maxTokens };
}
