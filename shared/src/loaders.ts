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

/** Anything that runs SQL with positional parameters: a TypeORM DataSource or EntityManager. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

export interface ChildTable<R> {
  /** Columns to select (SQL), including `id` and the parent column. */
  columns: string;
  table: string;
  /** The column that names the parent (organization_id …). Rows are ordered by `id`, which is time-sortable. */
  parent: string;
  /** Extra SQL condition over `parameters`; `param(i)` is the placeholder of `parameters[i]`. */
  where?: (param: (index: number) => string) => string;
  parameters?: unknown[];
  map: (row: Record<string, unknown>) => R;
  parentOf: (record: R) => string;
}

function extraCondition(child: Pick<ChildTable<unknown>, 'where'>, firstPlaceholder: number): string {
  return child.where ? ` AND (${child.where((index) => `$${firstPlaceholder + index}`)})` : '';
}

/**
 * Pages of children for many parents in one statement: for each parent, the first `page.first + 1` rows after
 * the cursor (the extra row tells whether another page follows).
 */
export function childPageLoader<R extends { id: string }>(db: Queryable, child: ChildTable<R>, page: { first: number; after: string | null }) {
  const sql = `SELECT * FROM (
      SELECT ${child.columns}, row_number() OVER (PARTITION BY ${child.parent} ORDER BY id) AS page_row
      FROM ${child.table}
      WHERE ${child.parent} = ANY($1) AND ($2::text IS NULL OR id > $2)${extraCondition(child, 4)}
    ) page WHERE page_row <= $3 ORDER BY id`;
  return groupLoader<string, R>(
    async (parents) => {
      const rows: Record<string, unknown>[] = await db.query(sql, [parents, page.after, page.first + 1, ...(child.parameters ?? [])]);
      return rows.map(child.map);
    },
    child.parentOf,
  );
}

/** How many children each parent has, in one statement. */
export function childCountLoader(db: Queryable, child: Pick<ChildTable<unknown>, 'table' | 'parent' | 'where' | 'parameters'>) {
  const sql = `SELECT ${child.parent} AS parent, count(*)::int AS count FROM ${child.table}
    WHERE ${child.parent} = ANY($1)${extraCondition(child, 2)}
    GROUP BY ${child.parent}`;
  return new DataLoader<string, number>(async (parents) => {
    const rows: { parent: string; count: number }[] = await db.query(sql, [parents, ...(child.parameters ?? [])]);
    const counts = new Map(rows.map((row) => [row.parent, row.count]));
    return parents.map((parent) => counts.get(parent) ?? 0);
  });
}

/** Rows of `table` looked up by one column (`id`, `slug` …), one statement per batch. */
export function columnLoader<R>(
  db: Queryable,
  lookup: { table: string; columns: string; column: string; map: (row: Record<string, unknown>) => R; keyOf: (record: R) => string },
) {
  const sql = `SELECT ${lookup.columns} FROM ${lookup.table} WHERE ${lookup.column} = ANY($1)`;
  return rowLoader<string, R>(async (keys) => ((await db.query(sql, [keys])) as Record<string, unknown>[]).map(lookup.map), lookup.keyOf);
}
