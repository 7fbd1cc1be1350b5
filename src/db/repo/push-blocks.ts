/**
 * Client side of `grasp push`: reads one repository of the local database block by block (see
 * push-wire.ts) with a digest of each block's content, so only blocks that changed since the last
 * acknowledged push are sent. Symbol ids leave as offsets within the repository's namespace.
 * Node only (node:crypto).
 */
import { createHash } from 'node:crypto';
import { and, asc, between, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { aiLines, commits, fileAnalyses, fileChanges, prCommits, prFiles, prReviewRequests, pullRequests, reviewComments, reviews, symbolChanges, symbols, warnings } from '../schema.ts';
import { symbolIdBase, symbolIdOffset, symbolIdRange } from '../../core/symbol-ids.ts';
import { chunk, type RepoStore } from '../store.ts';
import { BLOB_TABLES, BLOCK_SIZE, HISTORY_CHILDREN, TABLES_OF_KIND, WIRE_TABLES, blockOf, blockRange, columnKeys, type BlockKind, type WireTable } from '../push-wire.ts';

export interface LocalBlock {
  id: string;
  kind: BlockKind;
  index: number;
  digest: string;
  tables: Partial<Record<WireTable, unknown[][]>>;
  rows: number;
}

/** Content rows (texts, blob analyses, blob blame) by the block that first references them. */
interface ContentOwners {
  texts: Map<string, string[]>;
  blobs: Map<string, string[]>;
}

/** Row order within a commit (after commits.seq): the rest of each child's primary key. */
const HISTORY_ORDER: Record<(typeof HISTORY_CHILDREN)[number], readonly SQLiteColumn[]> = {
  file_changes: [fileChanges.idx],
  ai_lines: [aiLines.path, aiLines.session],
  warnings: [warnings.path, warnings.code],
  symbol_changes: [symbolChanges.file, symbolChanges.name],
  file_analyses: [fileAnalyses.path],
};

function toArrays(table: SQLiteTable, objects: Record<string, unknown>[]): unknown[][] {
  const keys = columnKeys(table);
  return objects.map((o) => keys.map((k) => o[k] ?? null));
}

/** Rows whose symbol id column (`id` of symbols, `symbolId` of symbol changes) travels as its offset. */
function withSymbolOffsets(store: RepoStore, objects: Record<string, unknown>[], key: 'id' | 'symbolId'): Record<string, unknown>[] {
  return objects.map((o) => ({ ...o, [key]: symbolIdOffset(store.repoId, o[key] as number) }));
}

function digestOf(tables: LocalBlock['tables']): string {
  const hash = createHash('sha256');
  for (const [name, rows] of Object.entries(tables)) hash.update(`${name}\u0000${JSON.stringify(rows)}\u0000`);
  return hash.digest('base64url').slice(0, 22);
}

function addOwner(map: Map<string, string[]>, block: string, key: string): void {
  const list = map.get(block);
  if (list) list.push(key);
  else map.set(block, [key]);
}

/**
 * Each symbol text belongs to the history block of the earliest commit whose symbol changes name
 * it (else to the symbols block of the lowest symbol id at it); each analyzed blob to the block
 * of the earliest commit that touched it. Owners only move to blocks that change anyway.
 */
async function contentOwners(store: RepoStore): Promise<ContentOwners> {
  const texts = new Map<string, string[]>();
  const blobs = new Map<string, string[]>();
  const textRows = await store.db.all<{ h: string; seq: number }>(sql`
    select x.h as h, min(x.seq) as seq from (
      select sc.hash as h, c.seq as seq from symbol_changes sc join commits c on c.repo_id = sc.repo_id and c.sha = sc.sha where sc.repo_id = ${store.repoId} and sc.hash is not null
      union all
      select sc.old_hash, c.seq from symbol_changes sc join commits c on c.repo_id = sc.repo_id and c.sha = sc.sha where sc.repo_id = ${store.repoId} and sc.old_hash is not null
    ) x where x.h in (select hash from symbol_texts) group by x.h order by x.h`);
  const owned = new Set<string>();
  for (const r of textRows) {
    owned.add(r.h);
    addOwner(texts, `h:${blockOf('h', r.seq)}`, r.h);
  }
  const symbolTextRows = await store.db.all<{ h: string; id: number }>(sql`
    select s.hash as h, min(s.id) as id from symbols s where s.repo_id = ${store.repoId} and s.hash in (select hash from symbol_texts) group by s.hash order by s.hash`);
  for (const r of symbolTextRows) if (!owned.has(r.h)) addOwner(texts, `s:${blockOf('s', symbolIdOffset(store.repoId, Number(r.id)))}`, r.h);
  const blobRows = await store.db.all<{ b: string; seq: number }>(sql`
    select x.b as b, min(x.seq) as seq from (
      select fc.new_blob as b, c.seq as seq from file_changes fc join commits c on c.repo_id = fc.repo_id and c.sha = fc.sha where fc.repo_id = ${store.repoId} and fc.new_blob is not null
      union all
      select fc.old_blob, c.seq from file_changes fc join commits c on c.repo_id = fc.repo_id and c.sha = fc.sha where fc.repo_id = ${store.repoId} and fc.old_blob is not null
    ) x where x.b in (select blob from blob_analyses) or x.b in (select blob from blob_lines) or x.b in (select blob from blob_texts)
    group by x.b order by x.b`);
  for (const r of blobRows) addOwner(blobs, `h:${blockOf('h', r.seq)}`, r.b);
  return { texts, blobs };
}

async function contentRows(store: RepoStore, name: 'symbol_texts' | (typeof BLOB_TABLES)[number], keys: readonly string[]): Promise<unknown[][]> {
  if (keys.length === 0) return [];
  const table = WIRE_TABLES[name];
  const keyColumn: SQLiteColumn = name === 'symbol_texts' ? WIRE_TABLES.symbol_texts.hash : WIRE_TABLES[name].blob;
  const out: Record<string, unknown>[] = [];
  for (const part of chunk(keys, 500)) {
    out.push(...((await store.db.select().from(table).where(inArray(keyColumn, part)).orderBy(asc(keyColumn))) as Record<string, unknown>[]));
  }
  return toArrays(table, out);
}

function finish(kind: BlockKind, index: number, tables: LocalBlock['tables']): LocalBlock {
  const nonEmpty: LocalBlock['tables'] = {};
  let rows = 0;
  for (const name of TABLES_OF_KIND[kind]) {
    const list = tables[name];
    if (list && list.length > 0) {
      nonEmpty[name] = list;
      rows += list.length;
    }
  }
  return { id: `${kind}:${index}`, kind, index, digest: rows === 0 ? 'empty' : digestOf(nonEmpty), tables: nonEmpty, rows };
}

async function historyBlock(store: RepoStore, index: number, owners: ContentOwners): Promise<LocalBlock> {
  const { lo, hi } = blockRange('h', index);
  const inBlock = and(eq(commits.repoId, store.repoId), between(commits.seq, lo, hi));
  const tables: LocalBlock['tables'] = {};
  tables.commits = toArrays(commits, await store.db.select().from(commits).where(inBlock).orderBy(asc(commits.seq)));
  for (const name of HISTORY_CHILDREN) {
    const table = WIRE_TABLES[name];
    const rows = await store.db
      .select(getTableColumns(table))
      .from(table)
      .innerJoin(commits, and(eq(commits.repoId, table.repoId), eq(commits.sha, table.sha)))
      .where(inBlock)
      .orderBy(asc(commits.seq), ...HISTORY_ORDER[name].map((c) => asc(c)));
    const objects = rows as Record<string, unknown>[];
    tables[name] = toArrays(table, name === 'symbol_changes' ? withSymbolOffsets(store, objects, 'symbolId') : objects);
  }
  const id = `h:${index}`;
  tables.symbol_texts = await contentRows(store, 'symbol_texts', owners.texts.get(id) ?? []);
  for (const name of BLOB_TABLES) tables[name] = await contentRows(store, name, owners.blobs.get(id) ?? []);
  return finish('h', index, tables);
}

async function symbolBlock(store: RepoStore, index: number, owners: ContentOwners): Promise<LocalBlock> {
  const { lo, hi } = blockRange('s', index);
  const base = symbolIdBase(store.repoId);
  const rows = await store.db
    .select()
    .from(symbols)
    .where(and(eq(symbols.repoId, store.repoId), between(symbols.id, base + lo, base + hi)))
    .orderBy(asc(symbols.id));
  return finish('s', index, {
    symbols: toArrays(symbols, withSymbolOffsets(store, rows, 'id')),
    symbol_texts: await contentRows(store, 'symbol_texts', owners.texts.get(`s:${index}`) ?? []),
  });
}

async function prBlock(store: RepoStore, index: number): Promise<LocalBlock> {
  const { lo, hi } = blockRange('p', index);
  const read = async (table: SQLiteTable & { number: SQLiteColumn; repoId: SQLiteColumn }, ...order: SQLiteColumn[]) =>
    toArrays(
      table,
      (await store.db
        .select()
        .from(table)
        .where(and(eq(table.repoId, store.repoId), between(table.number, lo, hi)))
        .orderBy(...order.map((c) => asc(c)))) as Record<string, unknown>[],
    );
  return finish('p', index, {
    pull_requests: await read(pullRequests, pullRequests.number),
    pr_commits: await read(prCommits, prCommits.number, prCommits.sha),
    pr_files: await read(prFiles, prFiles.number, prFiles.path),
    pr_review_requests: await read(prReviewRequests, prReviewRequests.number, prReviewRequests.login),
    reviews: await read(reviews, reviews.id),
    review_comments: await read(reviewComments, reviewComments.id),
  });
}

export interface LocalExtent {
  /** Sha of the repository's commit with seq 1. */
  origin: string | null;
  maxSeq: number;
  /** Highest symbol id offset within the repository's namespace (null: no symbols). */
  maxSymbolOffset: number | null;
  prBlocks: number[];
}

export async function localExtent(store: RepoStore): Promise<LocalExtent> {
  const here = eq(commits.repoId, store.repoId);
  const [first] = await store.db.select({ sha: commits.sha }).from(commits).where(and(here, eq(commits.seq, 1))).limit(1);
  const [seq] = await store.db.select({ n: sql<number | null>`max(${commits.seq})` }).from(commits).where(here);
  const { lo, hi } = symbolIdRange(store.repoId);
  const [sym] = await store.db
    .select({ n: sql<number | null>`max(${symbols.id})` })
    .from(symbols)
    .where(and(eq(symbols.repoId, store.repoId), between(symbols.id, lo, hi)));
  const size = BLOCK_SIZE.p;
  const repo = store.repoId;
  const prRows = await store.db.all<{ b: number }>(sql`
    select distinct b from (
      select number / ${size} as b from pull_requests where repo_id = ${repo} union select number / ${size} from pr_commits where repo_id = ${repo}
      union select number / ${size} from reviews where repo_id = ${repo} union select number / ${size} from review_comments where repo_id = ${repo}
      union select number / ${size} from pr_files where repo_id = ${repo} union select number / ${size} from pr_review_requests where repo_id = ${repo}
    ) where b >= 0 order by b`);
  return {
    origin: first?.sha ?? null,
    maxSeq: Number(seq?.n ?? 0),
    maxSymbolOffset: sym?.n == null ? null : symbolIdOffset(store.repoId, Number(sym.n)),
    prBlocks: prRows.map((r) => Number(r.b)),
  };
}

/** Exclusive ends of the repository's data per kind (seq for h, id offset for s): the service drops anything at or beyond them. */
export function localEnds(extent: LocalExtent): { h: number; s: number } {
  const h = extent.maxSeq === 0 ? 1 : blockRange('h', blockOf('h', extent.maxSeq)).hi + 1;
  const s = extent.maxSymbolOffset === null ? 0 : blockRange('s', blockOf('s', extent.maxSymbolOffset)).hi + 1;
  return { h, s };
}

/**
 * Every block of the repository in push order: history, then symbols, then pull requests. Symbol
 * blocks count from the repository's first id (offsets are dense from 1), not from id 0.
 */
export async function* localBlocks(store: RepoStore, extent: LocalExtent): AsyncGenerator<LocalBlock> {
  const owners = await contentOwners(store);
  if (extent.maxSeq > 0) for (let i = 0; i <= blockOf('h', extent.maxSeq); i++) yield historyBlock(store, i, owners);
  if (extent.maxSymbolOffset !== null) for (let i = 0; i <= blockOf('s', extent.maxSymbolOffset); i++) yield symbolBlock(store, i, owners);
  for (const i of extent.prBlocks) yield prBlock(store, i);
}
