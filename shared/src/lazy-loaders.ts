// One request's DataLoaders, each family of them made the first time the request reads one of its loaders.
//
// Organizations has 11 families of loaders, 36 DataLoaders in all, and a request reads a few of them: the overview
// reads 6. Making all 36 for every request took 8.5 us and about 15 KB of allocations a request (node, 20,000 rounds),
// and they were the most of what each organizations request left for the garbage collector to promote (the sampling
// heap profiler, counting what mark-compacts freed: 121 of 182 MB). The getters sit on one prototype made once, so
// that every request's loaders share one hidden class (gateway-request-context.ts says why that matters).

/** A family of loaders: a function of the request's arguments (a database, the caller) that returns its loaders. */
type Family = (...args: never[]) => object;
type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (intersection: infer I) => void ? I : never;
/** Every family's loaders, as one object. */
export type LoadersOf<F extends Family> = UnionToIntersection<ReturnType<F>>;

/**
 * `(…args) => loaders`: the loaders of every family in `families`, each family made from the request's arguments on
 * the first read of one of its loaders, and kept for the rest of the request. Two families may not name the same
 * loader (checked when the first request's loaders are made).
 */
export function lazyLoaders<F extends Family>(families: readonly F[]): (...args: Parameters<F>) => LoadersOf<F> {
  type A = Parameters<F>;
  const make = (family: F, args: A) => (family as unknown as (...args: A) => object)(...args);
  let Loaders: (new (args: A) => { made: (object | undefined)[] }) | null = null;
  const define = (args: A) => {
    class RequestLoaders {
      readonly made: (object | undefined)[] = new Array(families.length);
      constructor(readonly args: A) {}
    }
    const owner = new Map<string, number>();
    families.forEach((family, index) => {
      for (const name of Object.keys(make(family, args))) {
        if (owner.has(name)) throw new Error(`Two families of loaders name "${name}".`);
        // The request's own fields would hide a loader of the same name.
        if (name === 'made' || name === 'args') throw new Error(`A loader may not be named "${name}".`);
        owner.set(name, index);
        Object.defineProperty(RequestLoaders.prototype, name, {
          get(this: RequestLoaders) {
            const made = (this.made[index] ??= make(family, this.args)) as Record<string, unknown>;
            return made[name];
          },
        });
      }
    });
    return RequestLoaders;
  };
  return (...args: A) => {
    Loaders ??= define(args);
    return new Loaders(args) as unknown as LoadersOf<F>;
  };
}
