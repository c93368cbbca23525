// Refuses aliases the gateway would confuse with names it joins subgraphs' answers by: "__…", and other fields' names.
import { GraphQLError, isInterfaceType, isObjectType, type ValidationRule } from 'graphql';

/**
 * A validation rule: an alias may not begin with "__", nor be the name of another field of its type.
 *
 * graphql-js accepts both, but @apollo/gateway merges the aliased field with the one it adds to join subgraphs'
 * answers (`__typename`, the `id` key, fields another subgraph `@requires`): `{ viewer { id: email … } }` answers
 * the ID as the email, `__typename: viewer { id }` answers HTTP 500, and `viewerPermissions: name` hands billing
 * a name where the caller's permissions belong. Apollo's router has the same open bug (apollographql/router#6222).
 */
export const noReservedAliases: ValidationRule = (context) => ({
  Field(field) {
    const alias = field.alias?.value;
    if (!alias || alias === field.name.value) return;
    const parent = context.getParentType();
    if (alias.startsWith('__')) {
      context.reportError(new GraphQLError(`The alias "${alias}" begins with "__", which GraphQL reserves for its own names. Choose another alias.`, { nodes: field.alias }));
    } else if ((isObjectType(parent) || isInterfaceType(parent)) && alias in parent.getFields()) {
      context.reportError(
        new GraphQLError(`The alias "${alias}" is the name of another field of ${parent.name}, which answers would confuse with it. Choose another alias.`, { nodes: field.alias }),
      );
    }
  },
});
