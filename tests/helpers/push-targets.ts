/**
 * Services to push into, for the push tests: `grasp serve` on a fresh better-sqlite3 file, or the
 * bundled Worker on a fresh D1 database in local workerd. Both are reached over real HTTP.
 */
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { symbolIdOffset } from '../../src/core/symbol-ids.ts';
import { join } from 'node:path';
import { generateToken } from '../../src/core/tokens.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import type { Store } from '../../src/db/store.ts';
import { startServer } from '../../src/node.ts';
import { CONTENT_TABLES, WIRE_TABLES, columnKeys, type WireTable } from '../../src/db/push-wire.ts';
import { startWorker } from './d1.ts';
import { tempDir } from './git-fixture.ts';

export type TargetKind = 'node' | 'worker';

export interface PushTarget {
  kind: TargetKind;
  url: string;
  adminToken: string;
  store: Store;
  dispose(): Promise<void>;
}

export async function startTarget(kind: TargetKind, opts: { maxQueries?: number } = {}): Promise<PushTarget> {
  if (kind === 'worker') {
    const adminToken = generateToken();
    const bindings: Record<string, string> = { GRASP_ADMIN_TOKEN: adminToken };
    if (opts.maxQueries) bindings.GRASP_D1_MAX_QUERIES = String(opts.maxQueries);
    const worker = await startWorker({ bindings });
    return { kind, url: worker.url, adminToken, store: worker.store, dispose: () => worker.dispose() };
  }
  const store = openNodeStore(join(tempDir('grasp-target-'), 'service.db'));
  const { token } = await createToken(store, { admin: true });
  const server = await startServer({ store, port: 0 });
  return {
    kind,
    url: server.url,
    adminToken: token,
    store,
    async dispose() {
      await server.close(1000);
      store.close();
    },
  };
}

/** Every row of a pushed table, as arrays in column order, sorted: comparable across drivers. */
export async function dumpTable(store: Store, name: WireTable): Promise<string[]> {
  const keys = columnKeys(WIRE_TABLES[name]);
  const rows = (await store.db.select().from(WIRE_TABLES[name])) as Record<string, unknown>[];
  return rows.map((r) => JSON.stringify(keys.map((k) => r[k] ?? null))).sort();
}

export async function rowCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(WIRE_TABLES)) {
    const [row] = await store.db.all<{ n: number }>(sql.raw(`select count(*) as n from "${name}"`));
    out[name] = Number(row?.n ?? 0);
  }
  return out;
}

/** Symbol id columns, by wire table: compared as offsets within their repository's namespace. */
const SYMBOL_ID_KEYS: Partial<Record<WireTable, string>> = { symbols: 'id', symbol_changes: 'symbolId' };

/**
 * One repository's rows of every pushed table that carries `repo_id`, as sorted arrays in column
 * order, with symbol ids as offsets: the same repository compares equal across databases whose
 * repository ids differ.
 */
export async function dumpRepository(store: Store, repoId: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(WIRE_TABLES) as WireTable[]) {
    const table = WIRE_TABLES[name];
    const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    if (!columns.repoId) continue;
    const keys = columnKeys(table);
    const idKey = SYMBOL_ID_KEYS[name];
    const rows = (await store.db.select().from(table).where(eq(columns.repoId, repoId))) as Record<string, unknown>[];
    out[name] = rows.map((r) => JSON.stringify(keys.map((k) => (k === idKey ? symbolIdOffset(repoId, r[k] as number) : (r[k] ?? null))))).sort();
  }
  return out;
}

/** Rows of the content-addressed tables (shared by every repository), sorted. */
export async function dumpContent(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of CONTENT_TABLES) out[name] = await dumpTable(store, name);
  return out;
}
