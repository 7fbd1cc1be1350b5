/** better-sqlite3 driver: one file, WAL mode, migrations applied on open. */
import Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraspError } from '../../core/errors.ts';
import * as schema from '../schema.ts';
import { checkIsGraspDatabase, checkPathBeforeOpen, checkSchemaCurrent, describeOpenFailure } from './open-checks.ts';
import { type GraspDb, type Store, type WriteQuery } from '../store.ts';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** `--db FILE`, else `GRASP_DB`, else `./.grasp/grasp.db`. */
export function defaultDbPath(explicit?: string): string {
  return resolve(explicit ?? process.env.GRASP_DB ?? '.grasp/grasp.db');
}

/** How long a write waits for another connection's write lock (an ingest next to `grasp serve`). */
const DEFAULT_LOCK_WAIT_MS = 5000;

const isBusy = (err: unknown) => err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY');

export interface NodeStoreOptions {
  /** Milliseconds a write waits for another connection's write lock; default 5,000. */
  lockWaitMs?: number;
  /**
   * Read commands: the file must exist and be a grasp database at this schema; it is opened
   * read-only (so a read-only file works) and nothing is created, migrated or converted.
   */
  readOnly?: boolean;
}

export function openNodeStore(file: string, opts: NodeStoreOptions = {}): Store {
  const lockWaitMs = opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
  const readOnly = opts.readOnly === true && file !== ':memory:';
  if (file !== ':memory:') {
    checkPathBeforeOpen(file, readOnly ? 'read' : 'write');
    if (!readOnly) {
      try {
        mkdirSync(dirname(resolve(file)), { recursive: true });
      } catch (err) {
        throw new GraspError('invalid', `cannot create the directory of ${file}: ${(err as Error).message}`);
      }
    }
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: readOnly, fileMustExist: readOnly });
  } catch (err) {
    throw describeOpenFailure(file, err);
  }
  try {
    // The first statement is where SQLite finds out the file is not a database.
    checkIsGraspDatabase(file, sqlite);
    if (readOnly) checkSchemaCurrent(file, sqlite, MIGRATIONS_DIR);
    else sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${lockWaitMs}`);
  } catch (err) {
    sqlite.close();
    throw err instanceof GraspError ? err : describeOpenFailure(file, err);
  }
  const db = drizzle(sqlite, { schema });
  if (!readOnly) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    } catch (err) {
      sqlite.close();
      const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new GraspError('conflict', `cannot bring ${file} up to this grasp's schema (${reason.split('\n')[0]}); it was made by another grasp version: move it aside or use --db`, { cause: err });
    }
  }
  const atomicTx = sqlite.transaction((queries: WriteQuery[]) => {
    for (const q of queries) q.run();
  });
  const statements = new Map<string, Database.Statement>();

  /**
   * One attempt at the transaction without waiting for the write lock: false when another
   * connection holds it (nothing was written). SQLite's own busy wait would sleep inside this
   * call, freezing the event loop, and with it every request `grasp serve` has in hand.
   */
  function tryAtomic(queries: WriteQuery[]): boolean {
    // Not prepared once: SQLite may apply a pragma when it is prepared, not when it runs.
    sqlite.pragma('busy_timeout = 0');
    try {
      atomicTx.immediate(queries);
      return true;
    } catch (err) {
      if (isBusy(err)) return false;
      throw err;
    } finally {
      sqlite.pragma(`busy_timeout = ${lockWaitMs}`);
    }
  }

  /** One prepared INSERT ... ON CONFLICT DO NOTHING per table and column set, run once per row inside the transaction. */
  function insertIgnore<T extends SQLiteTable>(table: T, rows: T['$inferInsert'][]): WriteQuery[] {
    if (rows.length === 0) return [];
    const keys = Object.keys(rows[0] as object);
    const columns = getTableColumns(table);
    const { name } = getTableConfig(table);
    const cacheKey = `${name}:${keys.join(',')}`;
    let stmt = statements.get(cacheKey);
    if (!stmt) {
      const cols = keys.map((k) => `"${columns[k]!.name}"`).join(', ');
      // ON CONFLICT DO NOTHING, not OR IGNORE: only duplicates are skipped; any other violation throws.
      stmt = sqlite.prepare(`INSERT INTO "${name}" (${cols}) VALUES (${keys.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`);
      statements.set(cacheKey, stmt);
    }
    const prepared = stmt;
    const encoders = keys.map((k) => columns[k]!);
    return [
      {
        run() {
          for (const row of rows as Record<string, unknown>[]) {
            prepared.run(keys.map((k, i) => encoders[i]!.mapToDriverValue(row[k] ?? null) ?? null));
          }
        },
      },
    ];
  }

  return {
    db: db as unknown as GraspDb,
    driver: 'better-sqlite3',
    readOnly,
    maxParams: 30000,
    async atomic(queries) {
      if (queries.length === 0) return;
      // Wait for the lock off the event loop, with a short backoff, up to lockWaitMs.
      const deadline = Date.now() + lockWaitMs;
      for (let pause = 1; !tryAtomic(queries); pause = Math.min(pause * 2, 16)) {
        if (Date.now() >= deadline) throw new GraspError('busy', `the database stayed locked by another writer for ${lockWaitMs} ms; try again`);
        await new Promise((r) => setTimeout(r, pause));
      }
    },
    insertIgnore,
    close() {
      sqlite.close();
    },
  };
}
