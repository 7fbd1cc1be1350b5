/** better-sqlite3 driver: one file, WAL mode, migrations applied on open. */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from '../schema.ts';
import type { GraspDb, Store, WriteQuery } from '../store.ts';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** `--db FILE`, else `GRASP_DB`, else `./.grasp/grasp.db`. */
export function defaultDbPath(explicit?: string): string {
  return resolve(explicit ?? process.env.GRASP_DB ?? '.grasp/grasp.db');
}

export function openNodeStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  const atomicTx = sqlite.transaction((queries: WriteQuery[]) => {
    for (const q of queries) q.run();
  });
  return {
    db: db as unknown as GraspDb,
    driver: 'better-sqlite3',
    maxParams: 30000,
    async atomic(queries) {
      if (queries.length > 0) atomicTx.immediate(queries);
    },
    close() {
      sqlite.close();
    },
  };
}
