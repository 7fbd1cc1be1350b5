/**
 * The service side of `grasp push`: validates one batch and writes it with one `store.atomic()`
 * (one transaction on better-sqlite3, one batch on D1). Runs on Node and on Workers: no Node
 * built-ins here.
 *
 * A batch names its repository: the service's repository of that name (see push-target.ts), whose
 * own id stamps every row and whose symbol id base turns the wire's id offsets into ids.
 *
 * Per block: history and symbol blocks replace their key range (delete, then upsert), so rows
 * that vanished locally vanish here too; pull-request blocks only upsert, because webhooks may
 * have written fresher PR data on the service; content-addressed rows are inserted if missing.
 */
import { and, between, eq, getTableColumns, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { setRepoMetaQuery } from './repos.ts';
import { pushTarget, REPO_PUSH_ORIGIN, serviceRepos } from './push-target.ts';
import { symbolIdAt, symbolIdBase, SYMBOL_ID_SPAN } from '../../core/symbol-ids.ts';
import { isRepoName } from '../../core/repo-target.ts';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { GraspError } from '../../core/errors.ts';
import { getMeta, setMetaQuery } from './commits.ts';
import { commits, pullRequests, symbols } from '../schema.ts';
import { chunk, type RepoStore, type Store, type WriteQuery } from '../store.ts';
import {
  BLOCK_SIZE,
  CONTENT_TABLES,
  HISTORY_CHILDREN,
  TABLES_OF_KIND,
  WIRE_TABLES,
  WIRE_VERSION,
  blockRange,
  columnKeys,
  parseBlock,
  rowChars,
  MAX_ROW_CHARS,
  MAX_ROWS_PER_TABLE,
  tableRowsSchema,
  rowsPerStatement,
  type ImportStatus,
  type WireBatch,
  type WireTable,
} from '../push-wire.ts';

export const META_GENERATION = 'push.generation';
export const META_LAST_IMPORT = 'push.lastImportAt';

export interface ImportLimits {
  /** Statements one batch may run (D1 counts queries per Worker invocation). */
  maxStatements: number;
  /** Largest accepted request body in bytes. */
  maxBytes: number;
}

/** Node: one SQLite transaction, bounded only by memory. Workers override maxStatements (see worker.ts). */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxStatements: 20_000, maxBytes: 8 * 1024 * 1024 };

const tableNames = Object.keys(WIRE_TABLES) as [WireTable, ...WireTable[]];
// Rows are checked per table against the schema's columns (tableRowsSchema) once the block is known.
const rowsArray = z.array(z.unknown()).max(MAX_ROWS_PER_TABLE);

export const wireBatchSchema = z.strictObject({
  version: z.literal(WIRE_VERSION),
  generation: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'generation must be 8-64 characters of [A-Za-z0-9_-]'),
  origin: z.string().regex(/^[0-9a-f]{40,64}$/, 'origin must be a commit sha').nullable(),
  repo: z.string().min(1).max(201).refine(isRepoName, 'repo must be a repository name'),
  parts: z
    .array(
      z.strictObject({
        block: z.string().regex(/^[hsp]:\d{1,9}$/, 'block must look like h:12, s:0 or p:3'),
        replace: z.boolean(),
        tables: z.strictObject(Object.fromEntries(tableNames.map((n) => [n, rowsArray.optional()])) as Record<WireTable, z.ZodOptional<typeof rowsArray>>),
      }),
    )
    .max(10_000),
  ends: z.strictObject({ h: z.number().int().min(1).optional(), s: z.number().int().min(0).optional() }).optional(),
});

export interface ImportResult {
  parts: number;
  statements: number;
  rows: Partial<Record<WireTable, number>>;
}

export async function importStatus(store: Store, limits: ImportLimits): Promise<ImportStatus> {
  return {
    version: WIRE_VERSION,
    generation: await getMeta(store, META_GENERATION),
    repos: await serviceRepos(store),
    maxParams: store.maxParams,
    maxStatements: limits.maxStatements,
    maxBytes: limits.maxBytes,
    blockSize: BLOCK_SIZE,
  };
}

/** Validates and writes one batch, all-or-nothing. `now` in epoch milliseconds. */
export async function importBatch(store: Store, input: unknown, limits: ImportLimits, now = Date.now()): Promise<ImportResult> {
  const parsed = wireBatchSchema.safeParse(input);
  if (!parsed.success) throw new GraspError('invalid', `invalid import batch: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const batch = parsed.data as WireBatch;

  const generation = await getMeta(store, META_GENERATION);
  if (generation !== null && generation !== batch.generation) {
    throw new GraspError('conflict', 'the service was reset or is fed from another database since this push began; run grasp push again');
  }
  // Every row is checked before the repository is looked up (or registered): a bad batch changes nothing.
  const checked = batch.parts.map((part, p) => {
    const { kind, index } = parseBlock(part.block);
    const { lo, hi } = blockRange(kind, index);
    for (const name of Object.keys(part.tables) as WireTable[]) {
      if (!TABLES_OF_KIND[kind].includes(name) && (part.tables[name]?.length ?? 0) > 0) {
        throw new GraspError('invalid', `parts.${p}: a ${part.block} block cannot carry ${name} rows`);
      }
    }
    const tables: [WireTable, Record<string, unknown>[]][] = [];
    for (const name of TABLES_OF_KIND[kind]) {
      const raw = part.tables[name];
      if (!raw || raw.length === 0) continue;
      const objects = toObjects(name, raw, `parts.${p}.tables.${name}`);
      checkKeys(kind, name, objects, lo, hi, `parts.${p} (${part.block})`);
      checkSymbolOffsets(name, objects, `parts.${p}.tables.${name}`);
      tables.push([name, objects]);
    }
    return { part, kind, lo, hi, tables };
  });

  const target = await pushTarget(store, batch.repo, batch.origin);
  const queries: WriteQuery[] = [];
  const rows: ImportResult['rows'] = {};
  for (const { part, kind, lo, hi, tables } of checked) {
    if (part.replace) queries.push(...clearRange(target, kind, lo, hi));
    for (const [name, objects] of tables) {
      queries.push(...writeRows(store, name, inServiceRepo(target, name, objects)));
      rows[name] = (rows[name] ?? 0) + objects.length;
    }
  }
  if (batch.ends?.h !== undefined) queries.push(...clearHistory(store, target.repoId, gte(commits.seq, batch.ends.h)));
  if (batch.ends?.s !== undefined) {
    // Past the local end, and anything below the repository's range (ids a pre-namespace service stored).
    const base = symbolIdBase(target.repoId);
    queries.push(store.db.delete(symbols).where(and(eq(symbols.repoId, target.repoId), or(gte(symbols.id, base + batch.ends.s), lte(symbols.id, base)))));
  }

  queries.push(
    setMetaQuery(store, META_GENERATION, batch.generation),
    ...(batch.origin !== null ? [setRepoMetaQuery(target, REPO_PUSH_ORIGIN, batch.origin)] : []),
    setMetaQuery(store, META_LAST_IMPORT, String(Math.floor(now / 1000))),
  );
  if (queries.length > limits.maxStatements) {
    throw new GraspError('too-large', `import batch needs ${queries.length} statements; this service runs at most ${limits.maxStatements} per batch`);
  }
  try {
    await store.atomic(queries);
  } catch (err) {
    // Valid rows that contradict each other (two commits at one seq): the batch is refused whole.
    const text = `${(err as Error).message} ${((err as Error).cause as Error | undefined)?.message ?? ''}`;
    const constraint = /(UNIQUE|NOT NULL|CHECK) constraint failed[^:]*: ?[\w.]*(?:, [\w.]+)*/.exec(text);
    if (constraint) throw new GraspError('conflict', `import batch refused, nothing written: ${constraint[0]}`, { cause: err });
    throw err;
  }
  return { parts: batch.parts.length, statements: queries.length, rows };
}

function toObjects(name: WireTable, rows: unknown[], where: string): Record<string, unknown>[] {
  const checked = tableRowsSchema(name).safeParse(rows);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new GraspError('invalid', `invalid import batch: ${where}${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message}`);
  }
  const keys = columnKeys(WIRE_TABLES[name]);
  return checked.data.map((row, r) => {
    if (rowChars(row) > MAX_ROW_CHARS) throw new GraspError('invalid', `invalid import batch: ${where}.${r}: row larger than ${MAX_ROW_CHARS} characters`);
    const out: Record<string, unknown> = {};
    keys.forEach((k, i) => (out[k] = row[i]));
    return out;
  });
}

/** The symbol id columns a wire table carries as offsets within the repository's namespace. */
const SYMBOL_OFFSET_COLUMN: Partial<Record<WireTable, string>> = { symbols: 'id', symbol_changes: 'symbolId' };

function checkSymbolOffsets(name: WireTable, objects: Record<string, unknown>[], where: string): void {
  const key = SYMBOL_OFFSET_COLUMN[name];
  if (!key) return;
  objects.forEach((o, r) => {
    const offset = o[key] as number;
    if (offset < 1 || offset >= SYMBOL_ID_SPAN) throw new GraspError('invalid', `invalid import batch: ${where}.${r}: symbol id offset ${offset} must lie in 1..${SYMBOL_ID_SPAN - 1}`);
  });
}

/** Stamps the service's repository and turns symbol id offsets into the service repository's ids. */
function inServiceRepo(target: RepoStore, name: WireTable, objects: Record<string, unknown>[]): Record<string, unknown>[] {
  const stamp = 'repoId' in getTableColumns(WIRE_TABLES[name]);
  const key = SYMBOL_OFFSET_COLUMN[name];
  return objects.map((o) => ({ ...o, ...(stamp ? { repoId: target.repoId } : {}), ...(key ? { [key]: symbolIdAt(target.repoId, o[key] as number) } : {}) }));
}

/** Keyed rows must lie in their block's range, so a block can only ever replace itself. */
function checkKeys(kind: 'h' | 's' | 'p', name: WireTable, objects: Record<string, unknown>[], lo: number, hi: number, where: string): void {
  const key = kind === 'h' && name === 'commits' ? 'seq' : kind === 's' && name === 'symbols' ? 'id' : kind === 'p' && !CONTENT_TABLES.has(name) ? 'number' : null;
  if (key === null) return;
  for (const o of objects) {
    const value = o[key] as number;
    if (value < lo || value > hi) throw new GraspError('invalid', `${where}: ${name}.${key} ${value} lies outside the block (${lo}-${hi})`);
  }
}

function clearHistory(store: Store, repoId: number, seqCondition: SQL): WriteQuery[] {
  const here = and(eq(commits.repoId, repoId), seqCondition);
  const shas = store.db.select({ sha: commits.sha }).from(commits).where(here);
  return [
    ...HISTORY_CHILDREN.map((name) => {
      const table = WIRE_TABLES[name];
      return store.db.delete(table).where(and(eq(table.repoId, repoId), inArray(table.sha, shas)));
    }),
    store.db.delete(commits).where(here),
  ];
}

function clearRange(target: RepoStore, kind: 'h' | 's' | 'p', lo: number, hi: number): WriteQuery[] {
  if (kind === 'h') return clearHistory(target, target.repoId, between(commits.seq, lo, hi));
  const base = symbolIdBase(target.repoId);
  if (kind === 's') return [target.db.delete(symbols).where(and(eq(symbols.repoId, target.repoId), between(symbols.id, base + lo, base + hi)))];
  return []; // pull requests are only upserted (see the file comment)
}

function primaryKeyColumns(table: SQLiteTable): SQLiteColumn[] {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0]?.columns;
  if (composite && composite.length > 0) return composite;
  return Object.values(getTableColumns(table)).filter((c) => (c as SQLiteColumn).primary) as SQLiteColumn[];
}

/** `col = excluded.col` for every non-key column: the incoming row replaces the stored one. */
function replaceSet(table: SQLiteTable, keys: readonly SQLiteColumn[]): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [prop, column] of Object.entries(getTableColumns(table))) {
    if (keys.includes(column as SQLiteColumn)) continue;
    set[prop] = sql.raw(`excluded."${(column as SQLiteColumn).name}"`);
  }
  return set;
}

function writeRows(store: Store, name: WireTable, objects: Record<string, unknown>[]): WriteQuery[] {
  const table = WIRE_TABLES[name] as SQLiteTable;
  const size = rowsPerStatement(name, store.maxParams);
  const out: WriteQuery[] = [];
  for (const part of chunk(objects, size)) {
    const insert = store.db.insert(table).values(part as never);
    if (CONTENT_TABLES.has(name)) {
      out.push(insert.onConflictDoNothing());
      continue;
    }
    const keys = primaryKeyColumns(table);
    const set = replaceSet(table, keys);
    if (name === 'pull_requests') {
      // Keep the service's checklist comment id, and never let an older snapshot overwrite a newer one.
      set.commentId = sql`coalesce(excluded."comment_id", ${pullRequests.commentId})`;
      out.push(insert.onConflictDoUpdate({ target: keys, set, setWhere: sql`excluded."updated_at" >= ${pullRequests.updatedAt}` }));
    } else {
      out.push(insert.onConflictDoUpdate({ target: keys, set }));
    }
  }
  return out;
}
