// Checks the entity representations a router hands `_entities`: each names an entity of this service and carries its key.
import { isUnionType, type GraphQLSchema } from 'graphql';
import { badInput } from './errors';

/** Every entity of this API is keyed by its opaque `id`, so every representation must carry one. */
const KEY_FIELD = 'id';

/** The entities a subgraph schema resolves: the members of its `_Entity` union. */
export function entityTypeNames(schema: GraphQLSchema): ReadonlySet<string> {
  const union = schema.getType('_Entity');
  return new Set(isUnionType(union) ? union.getTypes().map((type) => type.name) : []);
}

/**
 * Refuses (BAD_USER_INPUT) the first representation that is not an object naming one of `entities` with a string
 * key. Federation's own resolver would throw a plain error for an unknown type, and a loader one for a missing key:
 * both reach the caller as an internal error, though the mistake is the caller's.
 */
export function checkRepresentations(representations: unknown, entities: ReadonlySet<string>): void {
  if (!Array.isArray(representations)) return;
  representations.forEach((representation: unknown, index) => {
    const fields = (typeof representation === 'object' && representation !== null ? representation : {}) as Record<string, unknown>;
    const typename = fields.__typename;
    if (typeof typename !== 'string' || !entities.has(typename)) {
      throw badInput(`Representation ${index + 1} must name an entity of this service in \`__typename\`: ${[...entities].join(', ')}.`, 'representations');
    }
    if (typeof fields[KEY_FIELD] !== 'string' || fields[KEY_FIELD] === '') {
      throw badInput(`Representation ${index + 1} (${typename}) must carry its \`${KEY_FIELD}\` as a string.`, 'representations');
    }
  });
}

/** Makes the schema's `_entities` field check every representation before it resolves any. */
export function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve;
  if (!field || !resolve) return;
  const entities = entityTypeNames(schema);
  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    checkRepresentations(args.representations, entities);
    return resolve(source, args, context, info);
  };
}
