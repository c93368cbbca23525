// A subgraph's cap on `_entities` representations: how many entities one request may ask it to resolve.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { AppError, ErrorCode } from './errors';
import { fragmentsOf } from './fragments';
import { ENVIRONMENT_MODES } from './environment-modes';
import { CLIENT_BODY_BYTES } from './request-body';

/** The largest page a connection returns, `MAX_PAGE_SIZE` (pagination.ts loads type-graphql, which this module does not need). */
const LARGEST_PAGE = 100;

/**
 * Default 20,000. A plan hands a subgraph one representation per object of one type in the client's answer, so the
 * most it needs is the longest list of one type a query the gateway admits can reach: every environment (2 per
 * project) of a full page of projects (100) in each of a full page of organizations (100), as in the overview over
 * all of a user's organizations. Each level of pages beyond that multiplies by 100, which the gateway's cost limit
 * refuses; raise this with it if it ever admits more.
 */
export const DEFAULT_MAX_REPRESENTATIONS = LARGEST_PAGE * LARGEST_PAGE * ENVIRONMENT_MODES.length;

/**
 * What one representation may take in a router's request. An owner's `Environment` with its signed permission claim
 * (shared/src/permission-claims.ts) measures about 1.1 KB; 2 KiB leaves room for longer IDs and more permissions.
 */
const REPRESENTATION_BYTES = 2048;

/**
 * The largest body a router may send a subgraph for `maxRepresentations` representations: 2 KiB each, plus a
 * client's 1 MiB for the query and other variables. By default 40 MiB; the 1 MiB clients get would cut off an
 * overview over 100 organizations of 100 projects, whose plan sends billing about 3 MB.
 */
export const routerBodyBytes = (maxRepresentations = DEFAULT_MAX_REPRESENTATIONS) => maxRepresentations * REPRESENTATION_BYTES + CLIENT_BODY_BYTES;

export interface RepresentationLimitOptions {
  /** The most representations one request may pass to `_entities`, summed over every `_entities` field. Default 20,000. */
  maxRepresentations?: number;
}

/** Refuses a request over the cap with REQUEST_TOO_LARGE (HTTP 400), after validation and before any is resolved. */
export function representationLimit({ maxRepresentations = DEFAULT_MAX_REPRESENTATIONS }: RepresentationLimitOptions = {}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) return;
          const fragments = fragmentsOf(document);
          const count = entityFields(operation.selectionSet, fragments).reduce((sum, field) => sum + representationCount(field, request.variables ?? {}), 0);
          if (count > maxRepresentations) {
            throw new AppError(
              ErrorCode.REQUEST_TOO_LARGE,
              `This request asks for ${count.toLocaleString('en-US')} entities; this service resolves at most ${maxRepresentations.toLocaleString('en-US')} per request.`,
              { representations: count, maxRepresentations, http: { status: 400 } },
            );
          }
        },
      };
    },
  };
}

/** The `_entities` fields at the root of an operation, however a router spelled them (aliases, fragments). */
function entityFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '_entities' ? [selection] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return entityFields(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return entityFields(fragment.selectionSet, fragments, seen);
  });
}

/** How many representations one `_entities` field passes: a list's length, inline or in a variable. */
function representationCount(field: FieldNode, variables: Record<string, unknown>): number {
  const argument = field.arguments?.find((arg) => arg.name.value === 'representations');
  return argument ? valueCount(argument.value, variables) : 0;
}

function valueCount(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return Array.isArray(given) ? given.length : given == null ? 0 : 1;
  }
  // A single value where a list is expected is a list of one.
  return value.kind === Kind.NULL ? 0 : 1;
}
