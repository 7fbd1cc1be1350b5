/**
 * Repository layer for symbol analysis: current symbols, per-commit symbol changes, symbol texts,
 * plus the loaders and writers the analysis (src/analysis/analyze.ts) uses. Written once for both
 * drivers: every query is awaited, lists are chunked to the parameter budget.
 */
import { and, asc, between, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { symbolIdRange } from '../../core/symbol-ids.ts';
import { aiLines, blobAnalyses, blobLines, commits, fileAnalyses, fileChanges, symbolChanges, symbols, symbolTexts } from '../schema.ts';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { chunk, rowsPerInsert, type RepoStore, type Store, type WriteQuery } from '../store.ts';
import { inRepo } from './commits.ts';

export type SymbolRow = typeof symbols.$inferSelect;
/** A symbol row as analysis builds it; the repository comes from the RepoStore. */
export type SymbolInsert = Omit<typeof symbols.$inferInsert, 'repoId'>;
export type SymbolChangeRow = typeof symbolChanges.$inferSelect;
export type FileAnalysisRow = typeof fileAnalyses.$inferSelect;

const inChunks = (store: Store) => Math.max(1, store.maxParams - 4);
const symbolsHere = (store: RepoStore) => eq(symbols.repoId, store.repoId);
/** Joins a history row to its commit: same repository, same sha. */
const commitOf = (t: { repoId: AnySQLiteColumn; sha: AnySQLiteColumn }) => and(eq(commits.repoId, t.repoId), eq(commits.sha, t.sha));

/** Alive symbols at head, optionally of one file or under a path prefix (`src/core/`), in file/line order. */
export async function getCurrentSymbols(store: RepoStore, opts: { file?: string; scope?: string } = {}): Promise<SymbolRow[]> {
  const filters = [symbolsHere(store), eq(symbols.alive, true)];
  if (opts.file !== undefined) filters.push(eq(symbols.file, opts.file));
  if (opts.scope !== undefined && opts.scope !== '') filters.push(sql`instr(${symbols.file}, ${opts.scope}) = 1`);
  return store.db
    .select()
    .from(symbols)
    .where(and(...filters))
    .orderBy(asc(symbols.file), asc(symbols.startLine), asc(symbols.name))
    .all();
}

/** The symbol with this file and qualified name: the live one, else the most recent dead one. */
export async function getSymbol(store: RepoStore, file: string, name: string): Promise<SymbolRow | undefined> {
  return store.db
    .select()
    .from(symbols)
    .where(and(symbolsHere(store), eq(symbols.file, file), eq(symbols.name, name)))
    .orderBy(desc(symbols.alive), desc(symbols.id))
    .get();
}

export async function getSymbolOrThrow(store: RepoStore, file: string, name: string): Promise<SymbolRow> {
  const row = await getSymbol(store, file, name);
  if (!row) throw new GraspError('not-found', `no symbol ${name} in ${file}`);
  return row;
}

export async function getSymbolById(store: Store, id: number): Promise<SymbolRow | undefined> {
  return store.db.select().from(symbols).where(eq(symbols.id, id)).get();
}

/** Symbol ids are unique across repositories: a symbol by id needs no repository. */
/** Source text of a symbol version (nested symbols cut to their first line); null if never stored (or over 64 KiB). */
export async function getSymbolText(store: Store, hash: string): Promise<string | null> {
  const row = await store.db.select({ text: symbolTexts.text }).from(symbolTexts).where(eq(symbolTexts.hash, hash)).get();
  return row?.text ?? null;
}

export async function getChangesForCommit(store: RepoStore, sha: string): Promise<SymbolChangeRow[]> {
  return store.db
    .select()
    .from(symbolChanges)
    .where(and(eq(symbolChanges.repoId, store.repoId), eq(symbolChanges.sha, sha)))
    .orderBy(asc(symbolChanges.file), asc(symbolChanges.startLine), asc(symbolChanges.name))
    .all();
}

export interface SymbolHistoryEntry extends SymbolChangeRow {
  seq: number;
  authorDate: number;
  authorEmail: string;
  commitKind: 'agent' | 'human' | 'bot';
  agent: string | null;
}

/** Every recorded change of one symbol identity, oldest first. */
export async function getSymbolHistory(store: Store, symbolId: number): Promise<SymbolHistoryEntry[]> {
  const rows = await store.db
    .select({
      change: symbolChanges,
      seq: commits.seq,
      authorDate: commits.authorDate,
      authorEmail: commits.authorEmail,
      commitKind: commits.kind,
      agent: commits.agent,
    })
    .from(symbolChanges)
    .innerJoin(commits, commitOf(symbolChanges))
    .where(eq(symbolChanges.symbolId, symbolId))
    .orderBy(asc(commits.seq))
    .all();
  return rows.map((r) => ({ ...r.change, seq: r.seq, authorDate: r.authorDate, authorEmail: r.authorEmail, commitKind: r.commitKind, agent: r.agent }));
}

export interface LastChange {
  sha: string;
  kind: 'agent' | 'human' | 'bot';
  agent: string | null;
  hash: string | null;
  seq: number;
}

/**
 * The change that produced each symbol's given version: the latest change to that identity with that
 * hash (up to `maxSeq`), else its latest change of any hash. Keyed by symbol id.
 */
export async function getLastChanges(store: Store, wanted: readonly { id: number; hash: string | null }[], maxSeq?: number): Promise<Map<number, LastChange>> {
  const out = new Map<number, LastChange>();
  const byId = new Map(wanted.map((w) => [w.id, w.hash]));
  for (const part of chunk([...byId.keys()], inChunks(store))) {
    const rows = await store.db
      .select({ id: symbolChanges.symbolId, sha: symbolChanges.sha, hash: symbolChanges.hash, seq: commits.seq, kind: commits.kind, agent: commits.agent })
      .from(symbolChanges)
      .innerJoin(commits, commitOf(symbolChanges))
      .where(and(inArray(symbolChanges.symbolId, part), maxSeq === undefined ? undefined : sql`${commits.seq} <= ${maxSeq}`))
      .all();
    const best = new Map<number, { exact: boolean; row: (typeof rows)[number] }>();
    for (const r of rows) {
      const exact = r.hash !== null && r.hash === byId.get(r.id);
      const cur = best.get(r.id);
      if (!cur || (exact && !cur.exact) || (exact === cur.exact && r.seq > cur.row.seq)) best.set(r.id, { exact, row: r });
    }
    for (const [id, { row }] of best) out.set(id, { sha: row.sha, kind: row.kind, agent: row.agent, hash: row.hash, seq: row.seq });
  }
  return out;
}

/** How a path was analyzed in its latest analyzed change (null if it never was). */
export async function getLatestFileAnalysis(store: RepoStore, path: string): Promise<(FileAnalysisRow & { seq: number }) | null> {
  const row = await store.db
    .select({ fa: fileAnalyses, seq: commits.seq })
    .from(fileAnalyses)
    .innerJoin(commits, commitOf(fileAnalyses))
    .where(and(eq(fileAnalyses.repoId, store.repoId), eq(fileAnalyses.path, path)))
    .orderBy(desc(commits.seq))
    .get();
  return row ? { ...row.fa, seq: row.seq } : null;
}

export async function getFileAnalysesForCommit(store: RepoStore, sha: string): Promise<FileAnalysisRow[]> {
  return store.db.select().from(fileAnalyses).where(and(eq(fileAnalyses.repoId, store.repoId), eq(fileAnalyses.sha, sha))).orderBy(asc(fileAnalyses.path)).all();
}

/** Whether any symbol identity ever lived in this file. */
export async function fileHasSymbolHistory(store: RepoStore, file: string): Promise<boolean> {
  const row = await store.db
    .select({ id: symbols.id })
    .from(symbols)
    .where(and(symbolsHere(store), eq(symbols.file, file)))
    .get();
  if (row) return true;
  const change = await store.db
    .select({ sha: symbolChanges.sha })
    .from(symbolChanges)
    .where(and(eq(symbolChanges.repoId, store.repoId), or(eq(symbolChanges.file, file), eq(symbolChanges.oldFile, file))))
    .get();
  return change !== undefined;
}

// ---- loaders and writers for the analysis run ----

export async function countPendingCommits(store: RepoStore): Promise<number> {
  const row = await store.db.select({ n: sql<number>`count(*)` }).from(commits).where(and(eq(commits.repoId, store.repoId), eq(commits.analyzed, 0))).get();
  return row?.n ?? 0;
}

export async function loadPendingCommits(store: RepoStore, limit: number) {
  return store.db
    .select({ sha: commits.sha, seq: commits.seq, parents: commits.parents, kind: commits.kind, agent: commits.agent })
    .from(commits)
    .where(and(eq(commits.repoId, store.repoId), eq(commits.analyzed, 0)))
    .orderBy(asc(commits.seq))
    .limit(limit)
    .all();
}

export async function loadFileChanges(store: RepoStore, shas: readonly string[]) {
  const out: (typeof fileChanges.$inferSelect)[] = [];
  for (const part of chunk(shas, inChunks(store))) {
    out.push(...(await store.db.select().from(fileChanges).where(and(eq(fileChanges.repoId, store.repoId), inArray(fileChanges.sha, part))).orderBy(asc(fileChanges.sha), asc(fileChanges.idx)).all()));
  }
  return out;
}

export async function loadAiLines(store: RepoStore, shas: readonly string[]) {
  const out: (typeof aiLines.$inferSelect)[] = [];
  for (const part of chunk(shas, inChunks(store))) {
    out.push(...(await store.db.select().from(aiLines).where(and(eq(aiLines.repoId, store.repoId), inArray(aiLines.sha, part))).all()));
  }
  return out;
}

export async function loadBlobAnalysisRows(store: Store, oids: readonly string[]) {
  const out: (typeof blobAnalyses.$inferSelect)[] = [];
  for (const part of chunk([...new Set(oids)], inChunks(store))) {
    out.push(...(await store.db.select().from(blobAnalyses).where(inArray(blobAnalyses.blob, part)).all()));
  }
  return out;
}

export async function loadBlobLineRows(store: Store, oids: readonly string[]) {
  const out: (typeof blobLines.$inferSelect)[] = [];
  for (const part of chunk([...new Set(oids)], inChunks(store))) {
    out.push(...(await store.db.select().from(blobLines).where(inArray(blobLines.blob, part)).all()));
  }
  return out;
}

export async function existingSymbolTexts(store: Store, hashes: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk([...new Set(hashes)], inChunks(store))) {
    for (const r of await store.db.select({ hash: symbolTexts.hash }).from(symbolTexts).where(inArray(symbolTexts.hash, part)).all()) out.add(r.hash);
  }
  return out;
}

export async function loadAllSymbolRows(store: RepoStore): Promise<SymbolRow[]> {
  return store.db.select().from(symbols).where(symbolsHere(store)).orderBy(asc(symbols.id)).all();
}

/**
 * The id the repository's next new identity gets: after the highest one in its own namespace
 * (src/core/symbol-ids.ts), so two repositories never number into each other's range.
 */
export async function firstFreeSymbolId(store: RepoStore): Promise<number> {
  const { lo, hi } = symbolIdRange(store.repoId);
  const row = await store.db
    .select({ n: sql<number | null>`max(${symbols.id})` })
    .from(symbols)
    .where(between(symbols.id, lo, hi))
    .get();
  const next = row?.n == null ? lo : Number(row.n) + 1;
  if (next > hi) throw new GraspError('conflict', `repository ${store.repoId} has used up its ${hi - lo + 1} symbol ids`);
  return next;
}

export async function loadCommitAuthors(store: RepoStore, shas: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    const rows = await store.db.select({ sha: commits.sha, email: commits.authorEmail }).from(commits).where(and(eq(commits.repoId, store.repoId), inArray(commits.sha, part))).all();
    for (const r of rows) {
      out.set(r.sha, r.email);
    }
  }
  return out;
}

export interface AnalysisWrites {
  blobAnalyses: (typeof blobAnalyses.$inferInsert)[];
  blobLines: (typeof blobLines.$inferInsert)[];
  symbolTexts: (typeof symbolTexts.$inferInsert)[];
  symbolChanges: Omit<typeof symbolChanges.$inferInsert, 'repoId'>[];
  fileAnalyses: Omit<typeof fileAnalyses.$inferInsert, 'repoId'>[];
  symbols: SymbolInsert[];
  analyzedShas: string[];
}

export function emptyWrites(): AnalysisWrites {
  return { blobAnalyses: [], blobLines: [], symbolTexts: [], symbolChanges: [], fileAnalyses: [], symbols: [], analyzedShas: [] };
}

/** One batch's rows as queries for `store.atomic`, marking its commits analyzed. */
export function analysisWriteQueries(store: RepoStore, w: AnalysisWrites): WriteQuery[] {
  const queries: WriteQuery[] = [
    ...store.insertIgnore(blobAnalyses, w.blobAnalyses),
    ...store.insertIgnore(blobLines, w.blobLines),
    ...store.insertIgnore(symbolTexts, w.symbolTexts),
    ...store.insertIgnore(symbolChanges, inRepo(store, w.symbolChanges)),
    ...store.insertIgnore(fileAnalyses, inRepo(store, w.fileAnalyses)),
    ...upsertSymbolsQueries(store, w.symbols),
  ];
  for (const part of chunk(w.analyzedShas, inChunks(store))) {
    queries.push(store.db.update(commits).set({ analyzed: 1 }).where(and(eq(commits.repoId, store.repoId), inArray(commits.sha, part))));
  }
  return queries;
}

export function upsertSymbolsQueries(store: RepoStore, input: readonly SymbolInsert[]): WriteQuery[] {
  if (input.length === 0) return [];
  const rows = inRepo(store, input);
  const columns = Object.keys(rows[0]!).length;
  const set = {
    file: sql`excluded.file`,
    name: sql`excluded.name`,
    kind: sql`excluded.kind`,
    alive: sql`excluded.alive`,
    hash: sql`excluded.hash`,
    startLine: sql`excluded.start_line`,
    endLine: sql`excluded.end_line`,
    exported: sql`excluded.exported`,
    complexity: sql`excluded.complexity`,
    agentLines: sql`excluded.agent_lines`,
    humanLines: sql`excluded.human_lines`,
    authors: sql`excluded.authors`,
    lastSha: sql`excluded.last_sha`,
    changeCount: sql`excluded.change_count`,
  };
  return chunk(rows, rowsPerInsert(store, columns)).map((part) =>
    store.db.insert(symbols).values(part).onConflictDoUpdate({ target: symbols.id, set }),
  );
}

/** One page of the alive symbols (optionally of one file), in file/line/id order. */
export async function listCurrentSymbolsPage(store: RepoStore, opts: { file?: string; limit: number; offset: number }): Promise<SymbolRow[]> {
  const alive = and(symbolsHere(store), eq(symbols.alive, true));
  const where = opts.file === undefined ? alive : and(alive, eq(symbols.file, opts.file));
  return store.db.select().from(symbols).where(where).orderBy(asc(symbols.file), asc(symbols.startLine), asc(symbols.id)).limit(opts.limit).offset(opts.offset);
}

/** The symbol alive at head with this file and qualified name. */
export async function getAliveSymbol(store: RepoStore, file: string, name: string): Promise<SymbolRow | undefined> {
  const [row] = await store.db
    .select()
    .from(symbols)
    .where(and(symbolsHere(store), eq(symbols.file, file), eq(symbols.name, name), eq(symbols.alive, true)))
    .limit(1);
  return row;
}

/** A trivial round trip: the database answers. */
export async function pingDatabase(store: Store): Promise<void> {
  await store.db.run(sql`select 1`);
}

/** The distinct blobs parsed down to symbols, each with the first path it was analyzed at (for the analysis bench). */
export async function analyzedBlobs(store: Store, limit: number): Promise<{ blob: string; path: string }[]> {
  return store.db.all<{ blob: string; path: string }>(
    sql`select ba.blob as blob, min(fa.path) as path from blob_analyses ba join file_analyses fa on fa.blob = ba.blob where ba.status = 'ok' group by ba.blob order by ba.blob limit ${limit}`,
  );
}
