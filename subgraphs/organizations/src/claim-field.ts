// The field through which organizations hands its signed claims (access.ts) to the subgraphs that @requires them.
import { Directive, FieldResolver } from 'type-graphql';

/**
 * A nullable String field resolver marked @inaccessible: it is not part of the API, and only a query plan reads it,
 * to pass it to the subgraph whose field requires it. `directives` adds others (@shareable).
 */
export function claimField(description: string, ...directives: string[]): MethodDecorator {
  const decorators = [FieldResolver(() => String, { nullable: true, description }), ...['@inaccessible', ...directives].map((sdl) => Directive(sdl))];
  return (target, key, descriptor) => {
    for (const decorate of decorators) decorate(target, key, descriptor);
  };
}
