// GraphQL enums derived from a list of values, so the API can never name a value the list does not know.
import { registerEnumType } from 'type-graphql';

/**
 * Registers the GraphQL enum `name` whose values are exactly `values`, each with its description, and returns the
 * object type-graphql uses for it (`{ A: 'A', B: 'B' }`).
 */
export function enumOf<V extends string>(name: string, description: string, values: readonly V[], descriptions: Record<V, string>): { [K in V]: K } {
  const enumObject = Object.fromEntries(values.map((value) => [value, value])) as { [K in V]: K };
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(values.map((value) => [value, { description: descriptions[value] }])) as Partial<Record<V, { description: string }>>,
  });
  return enumObject;
}
