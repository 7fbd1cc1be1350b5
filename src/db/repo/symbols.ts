/**
 * Repository layer for symbol analysis: current symbols, per-commit symbol changes, symbol texts,
 * plus the loaders and writers the analysis (src/analysis/analyze.ts) uses. Written once for both
 * drivers: every query is awaited, lists are chunked to the parameter budget.
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { aiLines, blobAnalyses, blobLines, commits, fileAnalyses, fileChanges, symbolChanges, symbols, symbolTexts } from '../schema.ts';
import { chunk, rowsPerInsert, type Store, type WriteQuery } from '../store.ts';

export type SymbolRow = typeof symbols.$inferSelect;
export type SymbolInsert = typeof symbols.$inferInsert;
export type SymbolChangeRow = typeof symbolChanges.$inferSelect;
export type FileAnalysisRow = typeof fileAnalyses.$inferSelect;

const inChunks = (store: Store) => Math.max(1, store.maxParams - 4);

/** Alive symbols at head, optionally of one file or under a path prefix (`src/core/`), in file/line order. */
export async function getCurrentSymbols(store: Store, opts: { file?: string; scope?: string } = {}): Promise<SymbolRow[]> {
  const filters = [eq(symbols.alive, true)];
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
export async function getSymbol(store: Store, file: string, name: string): Promise<SymbolRow | undefined> {
  return store.db
    .select()
    .from(symbols)
    .where(and(eq(symbols.file, file), eq(symbols.name, name)))
    .orderBy(desc(symbols.alive), desc(symbols.id))
    .get();
}

export async function getSymbolOrThrow(store: Store, file: string, name: string): Promise<SymbolRow> {
  const row = await getSymbol(store, file, name);
  if (!row) throw new GraspError('not-found', `no symbol ${name} in ${file}`);
  return row;
}

export async function getSymbolById(store: Store, id: number): Promise<SymbolRow | undefined> {
  return store.db.select().from(symbols).where(eq(symbols.id, id)).get();
}

/** Source text of a symbol version (nested symbols cut to their first line); null if never stored (or over 64 KiB). */
export async function getSymbolText(store: Store, hash: string): Promise<string | null> {
  const row = await store.db.select({ text: symbolTexts.text }).from(symbolTexts).where(eq(symbolTexts.hash, hash)).get();
  return row?.text ?? null;
}

export async function getChangesForCommit(store: Store, sha: string): Promise<SymbolChangeRow[]> {
  return store.db
    .select()
    .from(symbolChanges)
    .where(eq(symbolChanges.sha, sha))
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
    .innerJoin(commits, eq(commits.sha, symbolChanges.sha))
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
      .innerJoin(commits, eq(commits.sha, symbolChanges.sha))
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
export async function getLatestFileAnalysis(store: Store, path: string): Promise<(FileAnalysisRow & { seq: number }) | null> {
  const row = await store.db
    .select({ fa: fileAnalyses, seq: commits.seq })
    .from(fileAnalyses)
    .innerJoin(commits, eq(commits.sha, fileAnalyses.sha))
    .where(eq(fileAnalyses.path, path))
    .orderBy(desc(commits.seq))
    .get();
  return row ? { ...row.fa, seq: row.seq } : null;
}

export async function getFileAnalysesForCommit(store: Store, sha: string): Promise<FileAnalysisRow[]> {
  return store.db.select().from(fileAnalyses).where(eq(fileAnalyses.sha, sha)).orderBy(asc(fileAnalyses.path)).all();
}

/** Whether any symbol identity ever lived in this file. */
export async function fileHasSymbolHistory(store: Store, file: string): Promise<boolean> {
  const row = await store.db
    .select({ id: symbols.id })
    .from(symbols)
    .where(eq(symbols.file, file))
    .get();
  if (row) return true;
  const change = await store.db.select({ sha: symbolChanges.sha }).from(symbolChanges).where(or(eq(symbolChanges.file, file), eq(symbolChanges.oldFile, file))).get();
  return change !== undefined;
}

// ---- loaders and writers for the analysis run ----

export async function countPendingCommits(store: Store): Promise<number> {
  const row = await store.db.select({ n: sql<number>`count(*)` }).from(commits).where(eq(commits.analyzed, 0)).get();
  return row?.n ?? 0;
}

export async function loadPendingCommits(store: Store, limit: number) {
  return store.db
    .select({ sha: commits.sha, seq: commits.seq, parents: commits.parents, kind: commits.kind, agent: commits.agent })
    .from(commits)
    .where(eq(commits.analyzed, 0))
    .orderBy(asc(commits.seq))
    .limit(limit)
    .all();
}

export async function loadFileChanges(store: Store, shas: readonly string[]) {
  const out: (typeof fileChanges.$inferSelect)[] = [];
  for (const part of chunk(shas, inChunks(store))) {
    out.push(...(await store.db.select().from(fileChanges).where(inArray(fileChanges.sha, part)).orderBy(asc(fileChanges.sha), asc(fileChanges.idx)).all()));
  }
  return out;
}

export async function loadAiLines(store: Store, shas: readonly string[]) {
  const out: (typeof aiLines.$inferSelect)[] = [];
  for (const part of chunk(shas, inChunks(store))) out.push(...(await store.db.select().from(aiLines).where(inArray(aiLines.sha, part)).all()));
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

export async function loadAllSymbolRows(store: Store): Promise<SymbolRow[]> {
  return store.db.select().from(symbols).orderBy(asc(symbols.id)).all();
}

export async function loadCommitAuthors(store: Store, shas: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    for (const r of await store.db.select({ sha: commits.sha, email: commits.authorEmail }).from(commits).where(inArray(commits.sha, part)).all()) {
      out.set(r.sha, r.email);
    }
  }
  return out;
}

export interface AnalysisWrites {
  blobAnalyses: (typeof blobAnalyses.$inferInsert)[];
  blobLines: (typeof blobLines.$inferInsert)[];
  symbolTexts: (typeof symbolTexts.$inferInsert)[];
  symbolChanges: (typeof symbolChanges.$inferInsert)[];
  fileAnalyses: (typeof fileAnalyses.$inferInsert)[];
  symbols: SymbolInsert[];
  analyzedShas: string[];
}

export function emptyWrites(): AnalysisWrites {
  return { blobAnalyses: [], blobLines: [], symbolTexts: [], symbolChanges: [], fileAnalyses: [], symbols: [], analyzedShas: [] };
}

/** One batch's rows as queries for `store.atomic`, marking its commits analyzed. */
export function analysisWriteQueries(store: Store, w: AnalysisWrites): WriteQuery[] {
  const queries: WriteQuery[] = [
    ...store.insertIgnore(blobAnalyses, w.blobAnalyses),
    ...store.insertIgnore(blobLines, w.blobLines),
    ...store.insertIgnore(symbolTexts, w.symbolTexts),
    ...store.insertIgnore(symbolChanges, w.symbolChanges),
    ...store.insertIgnore(fileAnalyses, w.fileAnalyses),
    ...upsertSymbolsQueries(store, w.symbols),
  ];
  for (const part of chunk(w.analyzedShas, inChunks(store))) {
    queries.push(store.db.update(commits).set({ analyzed: 1 }).where(inArray(commits.sha, part)));
  }
  return queries;
}

export function upsertSymbolsQueries(store: Store, rows: readonly SymbolInsert[]): WriteQuery[] {
  if (rows.length === 0) return [];
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
export async function listCurrentSymbolsPage(store: Store, opts: { file?: string; limit: number; offset: number }): Promise<SymbolRow[]> {
  const where = opts.file === undefined ? eq(symbols.alive, true) : and(eq(symbols.alive, true), eq(symbols.file, opts.file));
  return store.db.select().from(symbols).where(where).orderBy(asc(symbols.file), asc(symbols.startLine), asc(symbols.id)).limit(opts.limit).offset(opts.offset);
}

/** The symbol alive at head with this file and qualified name. */
export async function getAliveSymbol(store: Store, file: string, name: string): Promise<SymbolRow | undefined> {
  const [row] = await store.db
    .select()
    .from(symbols)
    .where(and(eq(symbols.file, file), eq(symbols.name, name), eq(symbols.alive, true)))
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
