/**
 * The storage seam. One drizzle database type serves both drivers, in the style of drizzle's
 * own `BaseSQLiteDatabase<'sync' | 'async'>`: repository code always `await`s queries, which
 * works for the sync driver (better-sqlite3) and the async one (D1). Only atomic multi-statement
 * writes differ, so each driver supplies `atomic()`.
 */
import type { BaseSQLiteDatabase, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';

export type GraspDb = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

/** Any drizzle insert/update/delete builder (not yet executed). */
export type WriteQuery = { run(): unknown };

export interface Store {
  readonly db: GraspDb;
  readonly driver: 'better-sqlite3' | 'd1';
  /** Opened for a read command: every write fails, derived tables cannot be refreshed. */
  readonly readOnly?: boolean;
  /** Bound-parameter budget per statement (D1 allows 100; SQLite far more). */
  readonly maxParams: number;
  /** Runs the writes all-or-nothing: one transaction (better-sqlite3) or one batch (D1). */
  atomic(queries: WriteQuery[]): Promise<void>;
  /**
   * `INSERT ... ON CONFLICT DO NOTHING` of many rows of one shape, as queries for `atomic()`.
   * Each driver picks its fastest form (prepared statement per row on better-sqlite3,
   * chunked multi-row inserts on D1); the SQL comes from the drizzle table either way.
   */
  insertIgnore<T extends SQLiteTable>(table: T, rows: T['$inferInsert'][]): WriteQuery[];
  close(): void;
}

/**
 * A store bound to one repository. Every query of a repository's history, analysis, pull requests
 * and marks takes a RepoStore and filters by (and writes) its `repoId`; team-wide queries (engineers,
 * tokens, the report and digest across repositories) take a plain Store. The type makes forgetting
 * the repository a compile error rather than a silent read of another repository's rows.
 */
export interface RepoStore extends Store {
  readonly repoId: number;
}

const NARROWED = Symbol('grasp.repoStore');

/** The store bound to one repository; the driver's own fields and methods stay reachable (prototype). */
export function forRepo<S extends Store>(store: S, repoId: number): S & RepoStore {
  if (!Number.isSafeInteger(repoId) || repoId < 1) throw new Error(`invalid repository id ${repoId}`);
  const base = isRepoStore(store) ? (Object.getPrototypeOf(store) as S) : store;
  return Object.defineProperties(Object.create(base) as S, {
    repoId: { value: repoId, enumerable: true },
    [NARROWED]: { value: true },
  }) as S & RepoStore;
}

/** Whether the store was bound to one repository by forRepo (a plain store is team-wide). */
export function isRepoStore(store: Store): store is RepoStore {
  return (store as { [NARROWED]?: boolean })[NARROWED] === true;
}

/** Rows per multi-row INSERT so that rows x columns stays under the driver's parameter budget. */
export function rowsPerInsert(store: Store, columns: number): number {
  return Math.max(1, Math.floor(store.maxParams / Math.max(1, columns)));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The portable form of `insertIgnore`: chunked multi-row drizzle inserts. */
export function chunkedInsertIgnore<T extends SQLiteTable>(store: Pick<Store, 'db' | 'maxParams'>, table: T, rows: T['$inferInsert'][]): WriteQuery[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(store.maxParams / Math.max(1, columns)));
  return chunk(rows, size).map((part) => store.db.insert(table).values(part).onConflictDoNothing() as unknown as WriteQuery);
}
