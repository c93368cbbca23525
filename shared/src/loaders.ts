// DataLoader factories: one SQL statement per batch, results matched back to the keys that asked.
import DataLoader from 'dataloader';

/** Loads one row per key; a key with no row resolves to null. */
export function rowLoader<K, R>(
  batch: (keys: readonly K[]) => Promise<readonly R[]>,
  keyOf: (row: R) => K,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, R | null> {
  const keyString = cacheKeyFn ?? ((key: K) => key);
  return new DataLoader<K, R | null, unknown>(
    async (keys) => {
      const byKey = new Map<unknown, R>();
      for (const row of await batch(keys)) byKey.set(keyString(keyOf(row)), row);
      return keys.map((key) => byKey.get(keyString(key)) ?? null);
    },
    { cacheKeyFn: keyString },
  );
}

/** Loads the list of rows that belong to each key (children of a parent); a key with none gets []. */
export function groupLoader<K, R>(
  batch: (keys: readonly K[]) => Promise<readonly R[]>,
  keyOf: (row: R) => K,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, R[]> {
  const keyString = cacheKeyFn ?? ((key: K) => key);
  return new DataLoader<K, R[], unknown>(
    async (keys) => {
      const groups = new Map<unknown, R[]>();
      for (const row of await batch(keys)) {
        const key = keyString(keyOf(row));
        const group = groups.get(key);
        if (group) group.push(row);
        else groups.set(key, [row]);
      }
      return keys.map((key) => groups.get(keyString(key)) ?? []);
    },
    { cacheKeyFn: keyString },
  );
}

/** A family of loaders, one per distinct argument set (a page size, a date range), created on first use. */
export function loaderFamily<A, L>(make: (args: A) => L, argsKey: (args: A) => string = (args) => JSON.stringify(args)) {
  const loaders = new Map<string, L>();
  return (args: A): L => {
    const key = argsKey(args);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(args)));
    return loader;
  };
}
