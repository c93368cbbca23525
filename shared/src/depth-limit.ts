// A subgraph's depth limit: an operation nested deeper than any query plan needs is refused before it runs.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { AppError, ErrorCode } from './errors';
import { fragmentsOf } from './fragments';

/**
 * Default 15. The gateway admits queries 12 fields deep, and no fetch it plans is deeper in fields: a root fetch
 * repeats the client's selection, and an entity fetch puts `_entities` in place of the path above the entity
 * (measured with @apollo/query-planner: the deepest query the gateway admits plans fetches 12 fields deep, the
 * overview's are 5). Three more leave room for another router's planner; depth bounds nesting, not fan-out, which
 * is the cost limit's job.
 */
export const DEFAULT_MAX_DEPTH = 15;

export interface DepthLimitOptions {
  /** The most fields an operation may nest, leaves included; fragments and `... on` add no level. Default 15. */
  maxDepth?: number;
}

/**
 * Refuses with QUERY_TOO_COMPLEX (HTTP 400), after validation and before execution. Not a validation rule such as
 * graphql-armor's max-depth (the gateway's): Apollo Server reports every validation error as
 * GRAPHQL_VALIDATION_FAILED, and armor counts `... on Project` as a level, which a plan's `_entities` always has.
 */
export function depthLimit({ maxDepth = DEFAULT_MAX_DEPTH }: DepthLimitOptions = {}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document }) {
          if (!operation) return;
          const fragments = fragmentsOf(document);
          const depth = fieldDepth(operation.selectionSet, fragments);
          if (depth > maxDepth) {
            throw new AppError(ErrorCode.QUERY_TOO_COMPLEX, `This query nests ${depth} fields deep; this service answers at most ${maxDepth}. Ask for less nested data.`, {
              depth,
              maxDepth,
              http: { status: 400 },
            });
          }
        },
      };
    },
  };
}

/**
 * How many fields deep a selection goes, leaves included. Introspection (`__schema`, `__type`) counts as one level:
 * it is deep by nature and cheap. Each fragment is measured once, so the count is linear in the document's size;
 * validation has already refused fragment cycles.
 */
export function fieldDepth(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, measured = new Map<string, number>()): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth: number;
    if (selection.kind === Kind.FIELD) {
      depth = 1 + (selection.selectionSet && !selection.name.value.startsWith('__') ? fieldDepth(selection.selectionSet, fragments, measured) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = fieldDepth(selection.selectionSet, fragments, measured);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!measured.has(name)) measured.set(name, fragment ? fieldDepth(fragment.selectionSet, fragments, measured) : 0);
      depth = measured.get(name)!;
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}
