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
  const cache = new WeakMap<Store, T>();
  return (store) => {
    let prepared = cache.get(store);
    if (!prepared) cache.set(store, (prepared = build(store)));
    return prepared;
  };
}

/** `(select value from json_each(:name))`, for `inArray(column, jsonList('name'))`; bind JSON.stringify(list). */
export function jsonList(name: string): SQL {
  return sql`(select value from json_each(${sql.placeholder(name)}))`;
}
