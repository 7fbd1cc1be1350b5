/**
 * Prepared statements for the hot paths of the API. Building a drizzle query and preparing its
 * SQL costs far more than running it, so hot queries are built once per store and reused.
 * Lists are bound as one JSON text and expanded with json_each: one statement for any list
 * length, and one bound parameter (D1 allows 100 per statement).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../store.ts';

/** Memoizes `build(store)` per store. */
export function preparedFor<T>(build: (store: Store) => T): (store: Store) => T {
  const cache = new WeakMap<object, T>(); // by connection: a RepoStore shares its base store's
  return (store) => {
    let prepared = cache.get(store.db);
    if (!prepared) cache.set(store.db, (prepared = build(store)));
    return prepared;
  };
}

/** `(select value from json_each(:name))`, for `inArray(column, jsonList('name'))`; bind JSON.stringify(list). */
export function jsonList(name: string): SQL {
  return sql`(select value from json_each(${sql.placeholder(name)}))`;
}

const stampQuery = preparedFor((store) =>
  store.db
    .select({ version: sql<number>`data_version`, changes: sql<number>`total_changes()` })
    .from(sql`pragma_data_version`)
    .prepare(),
);

/**
 * A stamp that differs whenever the database may have changed since it was last taken: SQLite's
 * data_version moves on commits by other connections (another process, e.g. an ingest), and
 * total_changes() on this connection's own writes. Lets hot reads cache derived results safely.
 * null on D1, where queries may reach different replicas and no such stamp exists (no caching there).
 */
export async function databaseStamp(store: Store): Promise<string | null> {
  if (store.driver !== 'better-sqlite3') return null;
  const [row] = await stampQuery(store).all();
  return row ? `${row.version}:${row.changes}` : null;
}
