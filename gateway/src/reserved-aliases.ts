// Refuses aliases that begin with "__": GraphQL keeps such names for itself, and the gateway merges subgraph answers by `__typename`.
import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * A validation rule: no alias may begin with "__". graphql-js accepts `__typename: viewer { id }`, but
 * @apollo/gateway then reads the aliased object where it expects a type name, and answers HTTP 500 or a wrong null.
 */
export const noReservedAliases: ValidationRule = (context) => ({
  Field(field) {
    const alias = field.alias?.value;
    if (alias?.startsWith('__')) {
      context.reportError(new GraphQLError(`The alias "${alias}" begins with "__", which GraphQL reserves for its own names. Choose another alias.`, { nodes: field.alias }));
    }
  },
});
