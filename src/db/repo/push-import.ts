/**
 * The service side of `grasp push`: validates one batch and writes it with one `store.atomic()`
 * (one transaction on better-sqlite3, one batch on D1). Runs on Node and on Workers: no Node
 * built-ins here.
 *
 * Per block: history and symbol blocks replace their key range (delete, then upsert), so rows
 * that vanished locally vanish here too; pull-request blocks only upsert, because webhooks may
 * have written fresher PR data on the service; content-addressed rows are inserted if missing.
 */
import { and, between, eq, getTableColumns, gte, inArray, sql, type SQL } from 'drizzle-orm';
import { listRepos, upsertRepo } from './repos.ts';
import { isRepoName } from '../../core/repo-target.ts';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { GraspError } from '../../core/errors.ts';
import { getMeta, setMetaQuery } from './commits.ts';
import { commits, pullRequests, symbols } from '../schema.ts';
import { chunk, type Store, type WriteQuery } from '../store.ts';
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
export const META_ORIGIN = 'push.origin';
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
  repo: z.string().min(1).max(201).refine(isRepoName, 'repo must be a repository name').optional(),
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
    origin: await getMeta(store, META_ORIGIN),
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
  const origin = await getMeta(store, META_ORIGIN);
  if (origin !== null && batch.origin !== null && origin !== batch.origin) {
    throw new GraspError('conflict', `the service holds the history of another repository (first commit ${origin.slice(0, 12)}, not ${batch.origin.slice(0, 12)})`);
  }

  const target = await pushTarget(store, batch.repo ?? 'pushed');
  const queries: WriteQuery[] = [];
  const rows: ImportResult['rows'] = {};
  batch.parts.forEach((part, p) => {
    const { kind, index } = parseBlock(part.block);
    const { lo, hi } = blockRange(kind, index);
    if (part.replace) queries.push(...clearRange(store, target, kind, lo, hi));
    for (const name of TABLES_OF_KIND[kind]) {
      const raw = part.tables[name];
      if (!raw || raw.length === 0) continue;
      const objects = toObjects(name, raw, `parts.${p}.tables.${name}`, target);
      checkKeys(kind, name, objects, lo, hi, `parts.${p} (${part.block})`);
      queries.push(...writeRows(store, name, objects));
      rows[name] = (rows[name] ?? 0) + objects.length;
    }
    for (const name of Object.keys(part.tables) as WireTable[]) {
      if (!TABLES_OF_KIND[kind].includes(name) && (part.tables[name]?.length ?? 0) > 0) {
        throw new GraspError('invalid', `parts.${p}: a ${part.block} block cannot carry ${name} rows`);
      }
    }
  });
  if (batch.ends?.h !== undefined) queries.push(...clearHistory(store, target, gte(commits.seq, batch.ends.h)));
  if (batch.ends?.s !== undefined) queries.push(store.db.delete(symbols).where(and(eq(symbols.repoId, target), gte(symbols.id, batch.ends.s))));

  queries.push(
    setMetaQuery(store, META_GENERATION, batch.generation),
    ...(batch.origin !== null ? [setMetaQuery(store, META_ORIGIN, origin ?? batch.origin)] : []),
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

/**
 * The service's repository a push writes into: its only one, or (an empty service) one registered
 * for the push. A push carries one repository; a service tracking several cannot tell which yet.
 */
async function pushTarget(store: Store, name: string): Promise<number> {
  const all = await listRepos(store);
  if (all.length === 1) return all[0]!.id;
  if (all.length === 0) return (await upsertRepo(store, { path: `push:${name}`, name, head: null })).id;
  throw new GraspError('conflict', `this service tracks ${all.length} repositories (${all.map((r) => r.name).join(', ')}); grasp push feeds a service of one repository for now`);
}

function toObjects(name: WireTable, rows: unknown[], where: string, repoId: number): Record<string, unknown>[] {
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
    if ('repoId' in getTableColumns(WIRE_TABLES[name])) out.repoId = repoId;
    return out;
  });
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

function clearRange(store: Store, repoId: number, kind: 'h' | 's' | 'p', lo: number, hi: number): WriteQuery[] {
  if (kind === 'h') return clearHistory(store, repoId, between(commits.seq, lo, hi));
  if (kind === 's') return [store.db.delete(symbols).where(and(eq(symbols.repoId, repoId), between(symbols.id, lo, hi)))];
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
