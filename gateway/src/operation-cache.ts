// The operation @apollo/gateway's executor builds for every request, built once per parsed query instead.
//
// After finding the query plan in its cache, executeQueryPlan still turns the request's operation and fragments back
// into a federation Operation (operationFromDocument, with validation off) to shape the subgraphs' answers
// (computeResponse). That Operation depends only on the API schema and the operation's AST, which Apollo Server keeps
// parsed in its document cache: the same objects for every request of the same query. Built for each overview, it
// was 3.1% of the gateway's samples (node --cpu-prof over a demo-sized run, 10 connections).
//
// useCachedOperations puts a memoizing operationFromDocument in the place of federation-internals' own (its CommonJS
// module, which the package's index re-exports through a getter read at each call). Only executeQueryPlan's call shape
// is memoized: validation off, no operation name, the operation first and then only fragments. Nothing reads an
// Operation to change it (federation-internals' selection sets are immutable: each "change" returns a new one).
// operation-cache.test.ts checks the replacement is in place and answers as the original does.
import type { Operation, Schema } from '@apollo/federation-internals';
import { Kind, type DefinitionNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';

type OperationFromDocument = (schema: Schema, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => Operation;

interface Built {
  fragments: readonly DefinitionNode[];
  operation: Operation;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module executeQueryPlan reads through
const operations = require('@apollo/federation-internals/dist/operations') as { operationFromDocument: OperationFromDocument };
const original = operations.operationFromDocument;
const MEMOIZED = Symbol('orgapi.memoizedOperationFromDocument');

/** By API schema (a new supergraph gets its own), then by the parsed operation; both held weakly. */
const built = new WeakMap<Schema, WeakMap<OperationDefinitionNode, Built>>();

/** The operation, with the fragments after it, when `document` has executeQueryPlan's shape; else null. */
function operationOf(document: DocumentNode, options?: { operationName?: string; validate?: boolean }): OperationDefinitionNode | null {
  if (options?.validate !== false || options.operationName !== undefined) return null;
  const [first, ...rest] = document.definitions;
  if (first?.kind !== Kind.OPERATION_DEFINITION) return null;
  return rest.every((definition) => definition.kind === Kind.FRAGMENT_DEFINITION) ? first : null;
}

const sameFragments = (a: readonly DefinitionNode[], b: readonly DefinitionNode[]) => a.length === b.length && a.every((fragment, index) => fragment === b[index]);

export const memoizedOperationFromDocument: OperationFromDocument = Object.assign(
  (schema: Schema, document: DocumentNode, options?: { operationName?: string; validate?: boolean }): Operation => {
    const node = operationOf(document, options);
    if (!node) return original(schema, document, options);
    const fragments = document.definitions.slice(1);
    let bySchema = built.get(schema);
    if (!bySchema) built.set(schema, (bySchema = new WeakMap()));
    const known = bySchema.get(node);
    if (known && sameFragments(known.fragments, fragments)) return known.operation;
    // A failure throws before anything is kept: the next request tries (and fails) again, as it would have.
    const operation = original(schema, document, options);
    bySchema.set(node, { fragments, operation });
    return operation;
  },
  { [MEMOIZED]: true },
);

/** Puts the memoizing operationFromDocument in federation-internals' place; true once it is there. */
export function useCachedOperations(): boolean {
  operations.operationFromDocument = memoizedOperationFromDocument;
  // The package's index, when it is the plain copy of federation-exports.ts, holds the value it copied.
  const index = federationInternals();
  const own = Object.getOwnPropertyDescriptor(index, 'operationFromDocument');
  if (own && 'value' in own && own.writable) index.operationFromDocument = memoizedOperationFromDocument;
  return isUsingCachedOperations();
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const federationInternals = () => require('@apollo/federation-internals') as Record<string, unknown>;

/** True once both federation-internals' module and its index (what @apollo/gateway reads) give the memoizing one. */
export const isUsingCachedOperations = (): boolean =>
  [operations.operationFromDocument, federationInternals().operationFromDocument].every((used) => (used as unknown as Record<symbol, unknown>)[MEMOIZED] === true);

/** federation-internals' own, for tests that compare. */
export const originalOperationFromDocument = original;
