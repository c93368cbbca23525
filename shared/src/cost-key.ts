// What an operation's price depends on besides its document, as a string: the key under which cost.ts keeps a price.
//
// The cost model reads variables in three places only: a list's slicing argument (`first`), @skip and @include
// (which select what is priced), and `_entities`' representations, of which it counts the __typenames. So two
// requests of one document whose variables agree there cost the same, whatever else their variables hold: the
// overview's `slug`, `from` and `to`, or the entity keys and claims inside 100 representations (86 KB in the bench's
// request to billing). Pricing the walk again for each one cost 6% of billing's CPU per request.
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';

/** Keys longer than this are not kept: the walk is cheaper than holding them. */
export const MAX_COST_KEY_LENGTH = 8_192;

// Read once per parsed document (Apollo Server keeps one object per document text).
const readByDocument = new WeakMap<DocumentNode, { arguments: ReadonlySet<string>; variables: string[] }>();

/**
 * The names of the variables that reach a field argument named in `costArguments` (the model's slicing arguments
 * and `representations`) or any directive. Over-approximates: an argument of that name on a field without a list
 * size counts too, which only makes keys a little longer.
 */
export function costVariables(document: DocumentNode, costArguments: ReadonlySet<string>): string[] {
  const read = readByDocument.get(document);
  if (read && read.arguments === costArguments) return read.variables;
  const names = new Set<string>();
  visit(document, {
    Field(field) {
      for (const argument of field.arguments ?? []) if (costArguments.has(argument.name.value)) collect(argument.value, names);
    },
    Directive(directive) {
      for (const argument of directive.arguments ?? []) collect(argument.value, names);
    },
  });
  const variables = [...names].sort();
  readByDocument.set(document, { arguments: costArguments, variables });
  return variables;
}

function collect(value: ValueNode, into: Set<string>): void {
  if (value.kind === Kind.VARIABLE) into.add(value.name.value);
  else if (value.kind === Kind.LIST) for (const item of value.values) collect(item, into);
  else if (value.kind === Kind.OBJECT) for (const field of value.fields) collect(field.value, into);
}

/**
 * The key of a request's price within its document, or undefined when it would be longer than MAX_COST_KEY_LENGTH.
 * A variable that was not sent differs from one sent as null (its default applies); a list of representations stands
 * for how many there are of each __typename, the only part of it the price reads.
 */
export function costKey(document: DocumentNode, costArguments: ReadonlySet<string>, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>> | null | undefined): string | undefined {
  const values: Record<string, unknown> = {};
  for (const name of costVariables(document, costArguments)) {
    if (variables && Object.hasOwn(variables, name)) values[name] = byTypename(variables[name]);
  }
  const key = `${operationName ?? ''}\n${JSON.stringify(values)}`;
  return key.length <= MAX_COST_KEY_LENGTH ? key : undefined;
}

/** `[{ __typename: 'User', … } × 100]` as `{ __typenames: { User: 100 } }`; any other value as it is. */
function byTypename(value: unknown): unknown {
  if (!Array.isArray(value) || value.length === 0) return value;
  const counts: Record<string, number> = Object.create(null) as Record<string, number>; // a `__proto__` typename is a name
  for (const item of value) {
    const typename = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as { __typename?: unknown }).__typename : undefined;
    if (typeof typename !== 'string') return value;
    counts[typename] = (counts[typename] ?? 0) + 1;
  }
  return { __typenames: counts };
}
