/**
 * Queries behind the review checklist. Only stored data is read (never git), so the checklist
 * builds the same on Node and on Workers; every `inArray` list is chunked for D1's 100 parameters.
 */
import { and, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { BlobSymbol } from '../../core/blob-symbols.ts';
import { GraspError } from '../../core/errors.ts';
import {
  blobAnalyses,
  blobTexts,
  commits,
  engineerAliases,
  engineers,
  fileAnalyses,
  fileChanges,
  marks,
  pullRequests,
  symbolChanges,
  symbols,
  symbolTexts,
} from '../schema.ts';
import { chunk, type RepoStore, type Store } from '../store.ts';
import { commitsInRange, findCommit } from './targets.ts';

const inChunks = (store: Store, reserved = 4) => Math.max(1, store.maxParams - reserved);

/** Full sha of a commit given a sha or unique prefix; 'invalid' for text that is no sha, 'not-found' when unknown. */
export async function resolveCommit(store: RepoStore, rev: string): Promise<string> {
  const text = rev.trim().toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(text)) throw new GraspError('invalid', `"${rev}" is not a commit sha (4 to 64 hex digits)`);
  const sha = await findCommit(store, text);
  if (!sha) throw new GraspError('not-found', `no commit "${text}" in the database (ingest first?)`);
  return sha;
}

export interface RangeCommit {
  sha: string;
  seq: number;
  subject: string;
  kind: 'agent' | 'human' | 'bot';
  agent: string | null;
  analyzed: boolean;
}

/** The commits of base..head (reachable from head, not from base), oldest first. */
export async function loadRangeCommits(store: RepoStore, base: string, head: string): Promise<RangeCommit[]> {
  return loadCommits(store, await commitsInRange(store, base, head));
}

export async function loadCommits(store: RepoStore, shas: readonly string[]): Promise<RangeCommit[]> {
  const out: RangeCommit[] = [];
  const cols = { sha: commits.sha, seq: commits.seq, subject: commits.subject, kind: commits.kind, agent: commits.agent, analyzed: commits.analyzed };
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    for (const r of await store.db.select(cols).from(commits).where(and(eq(commits.repoId, store.repoId), inArray(commits.sha, part)))) out.push({ ...r, analyzed: r.analyzed === 1 });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export type SymbolChangeWithSeq = typeof symbolChanges.$inferSelect & { seq: number };

export async function loadSymbolChanges(store: RepoStore, shas: readonly string[], seqOf: ReadonlyMap<string, number>): Promise<SymbolChangeWithSeq[]> {
  const out: SymbolChangeWithSeq[] = [];
  for (const part of chunk([...shas], inChunks(store))) {
    for (const r of await store.db.select().from(symbolChanges).where(and(eq(symbolChanges.repoId, store.repoId), inArray(symbolChanges.sha, part)))) out.push({ ...r, seq: seqOf.get(r.sha) ?? 0 });
  }
  return out;
}

export type FileChangeWithSeq = typeof fileChanges.$inferSelect & { seq: number };

export async function loadFileChanges(store: RepoStore, shas: readonly string[], seqOf: ReadonlyMap<string, number>): Promise<FileChangeWithSeq[]> {
  const out: FileChangeWithSeq[] = [];
  for (const part of chunk([...shas], inChunks(store))) {
    for (const r of await store.db.select().from(fileChanges).where(and(eq(fileChanges.repoId, store.repoId), inArray(fileChanges.sha, part)))) out.push({ ...r, seq: seqOf.get(r.sha) ?? 0 });
  }
  return out;
}

export type FileAnalysisFact = Pick<typeof fileAnalyses.$inferSelect, 'sha' | 'path' | 'status' | 'reason' | 'agentLines' | 'humanLines'>;

/** The analysis' per-file verdict and agent/human added lines of each file change of these commits. */
export async function loadFileAnalyses(store: RepoStore, shas: readonly string[]): Promise<FileAnalysisFact[]> {
  const out: FileAnalysisFact[] = [];
  const cols = { sha: fileAnalyses.sha, path: fileAnalyses.path, status: fileAnalyses.status, reason: fileAnalyses.reason, agentLines: fileAnalyses.agentLines, humanLines: fileAnalyses.humanLines };
  for (const part of chunk([...shas], inChunks(store))) out.push(...(await store.db.select(cols).from(fileAnalyses).where(and(eq(fileAnalyses.repoId, store.repoId), inArray(fileAnalyses.sha, part)))));
  return out;
}

export interface StoredBlobAnalysis {
  status: string;
  reason: string | null;
  lineCount: number;
  /** Parsed blob_analyses.symbols; [] when malformed. */
  symbols: BlobSymbol[];
}

export async function loadBlobAnalyses(store: Store, blobs: readonly string[]): Promise<Map<string, StoredBlobAnalysis>> {
  const out = new Map<string, StoredBlobAnalysis>();
  for (const part of chunk([...new Set(blobs)], inChunks(store))) {
    for (const r of await store.db.select().from(blobAnalyses).where(inArray(blobAnalyses.blob, part))) {
      let parsed: StoredBlobAnalysis['symbols'] = [];
      try {
        const value: unknown = JSON.parse(r.symbols);
        if (Array.isArray(value)) parsed = value as StoredBlobAnalysis['symbols'];
      } catch {
        // A malformed symbol list leaves the file at file granularity rather than failing the checklist.
      }
      out.set(r.blob, { status: r.status, reason: r.reason, lineCount: r.lineCount, symbols: parsed });
    }
  }
  return out;
}

async function textsBy<K extends 'hash' | 'blob'>(
  store: Store,
  keys: readonly string[],
  query: (part: string[]) => Promise<({ text: string } & Record<K, string>)[]>,
  key: K,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(keys)], inChunks(store))) for (const r of await query(part)) out.set(r[key], r.text);
  return out;
}

export function loadSymbolTexts(store: Store, hashes: readonly string[]): Promise<Map<string, string>> {
  return textsBy(store, hashes, (part) => store.db.select().from(symbolTexts).where(inArray(symbolTexts.hash, part)), 'hash');
}

export function loadBlobTexts(store: Store, blobs: readonly string[]): Promise<Map<string, string>> {
  return textsBy(store, blobs, (part) => store.db.select().from(blobTexts).where(inArray(blobTexts.blob, part)), 'blob');
}

export type MarkRow = typeof marks.$inferSelect;

/** Every mark written on any of these hashes (by anyone), in this repository: marks cover their own repository's code. */
export async function loadMarksOnHashes(store: RepoStore, hashes: readonly string[]): Promise<MarkRow[]> {
  const out: MarkRow[] = [];
  for (const part of chunk([...new Set(hashes)], inChunks(store))) out.push(...(await store.db.select().from(marks).where(and(eq(marks.repoId, store.repoId), inArray(marks.hash, part)))));
  return out;
}

export async function loadMarksOfEngineer(store: RepoStore, engineerId: number): Promise<MarkRow[]> {
  return store.db.select().from(marks).where(and(eq(marks.engineerId, engineerId), eq(marks.repoId, store.repoId)));
}

export async function handlesOf(store: Store, ids: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const part of chunk([...new Set(ids)], inChunks(store))) {
    for (const r of await store.db.select({ id: engineers.id, handle: engineers.handle }).from(engineers).where(inArray(engineers.id, part))) out.set(r.id, r.handle);
  }
  return out;
}

/** A hand-written (human commit) change to a symbol: where prior authors come from. */
export interface HumanEdit {
  symbolId: number;
  sha: string;
  email: string;
}

/** Every human commit's change to these symbols, with the commit's author email. */
export async function humanEditsOf(store: Store, symbolIds: readonly number[]): Promise<HumanEdit[]> {
  const out: HumanEdit[] = [];
  for (const part of chunk([...new Set(symbolIds)], inChunks(store))) {
    out.push(
      ...(await store.db
        .select({ symbolId: symbolChanges.symbolId, sha: symbolChanges.sha, email: commits.authorEmail })
        .from(symbolChanges)
        .innerJoin(commits, and(eq(commits.repoId, symbolChanges.repoId), eq(commits.sha, symbolChanges.sha)))
        .where(and(inArray(symbolChanges.symbolId, part), eq(commits.kind, 'human')))),
    );
  }
  return out;
}

/** Engineer id of each (lower-cased) email that is an engineer's alias. */
export async function engineersByEmail(store: Store, emails: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunk([...new Set(emails)], inChunks(store))) {
    const rows = await store.db
      .select({ value: engineerAliases.value, engineerId: engineerAliases.engineerId })
      .from(engineerAliases)
      .where(and(eq(engineerAliases.kind, 'email'), inArray(engineerAliases.value, part)));
    for (const r of rows) out.set(r.value, r.engineerId);
  }
  return out;
}

/** Emails of the edits outside the range, by symbol (the first step of priorAuthorsFrom). */
export function outsideEmails(edits: Iterable<HumanEdit>, rangeShas: ReadonlySet<string>): Map<number, Set<string>> {
  const emailsBySymbol = new Map<number, Set<string>>();
  for (const r of edits) {
    if (rangeShas.has(r.sha)) continue;
    let set = emailsBySymbol.get(r.symbolId);
    if (!set) emailsBySymbol.set(r.symbolId, (set = new Set()));
    set.add(r.email.toLowerCase());
  }
  return emailsBySymbol;
}

/** symbol id -> engineer ids of those emails that are engineers' aliases. */
export function priorAuthorsFrom(emailsBySymbol: ReadonlyMap<number, ReadonlySet<string>>, engineerByEmail: ReadonlyMap<string, number>): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const [symbolId, set] of emailsBySymbol) {
    const ids = new Set([...set].flatMap((e) => (engineerByEmail.has(e) ? [engineerByEmail.get(e)!] : [])));
    if (ids.size > 0) out.set(symbolId, ids);
  }
  return out;
}

/**
 * Engineers who wrote earlier versions of these symbols by hand (commits outside the range):
 * symbol id -> engineer ids, via the engineers' email aliases.
 */
export async function priorHumanAuthors(store: RepoStore, symbolIds: readonly number[], rangeShas: ReadonlySet<string>): Promise<Map<number, Set<number>>> {
  const emailsBySymbol = outsideEmails(await humanEditsOf(store, symbolIds), rangeShas);
  const emails = [...new Set([...emailsBySymbol.values()].flatMap((s) => [...s]))];
  return priorAuthorsFrom(emailsBySymbol, await engineersByEmail(store, emails));
}

export interface MentioningSymbol {
  id: number;
  file: string;
  name: string;
  kind: string;
  startLine: number;
  text: string;
}

/**
 * Alive symbols (at the analyzed head) whose text contains any of `names` as a substring; the
 * caller confirms whole-identifier matches. Classes and module bodies are left out: their text
 * repeats their members'. At most `limit` rows.
 */
export async function symbolsMentioning(store: RepoStore, names: readonly string[], limit: number): Promise<MentioningSymbol[]> {
  const out: MentioningSymbol[] = [];
  for (const part of chunk([...new Set(names)], inChunks(store, 8))) {
    if (out.length >= limit) break;
    const anyName = or(...part.map((n): SQL => sql`instr(${symbolTexts.text}, ${n}) > 0`));
    const rows = await store.db
      .select({ id: symbols.id, file: symbols.file, name: symbols.name, kind: symbols.kind, startLine: symbols.startLine, text: symbolTexts.text })
      .from(symbols)
      .innerJoin(symbolTexts, eq(symbolTexts.hash, symbols.hash))
      .where(and(eq(symbols.repoId, store.repoId), eq(symbols.alive, true), ne(symbols.kind, 'class'), ne(symbols.kind, 'module'), anyName))
      .limit(limit - out.length);
    out.push(...rows);
  }
  return out;
}

/** Text of each file's `(module)` symbol at the analyzed head (its imports live there). */
export async function moduleTexts(store: RepoStore, files: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(files)], inChunks(store))) {
    const rows = await store.db
      .select({ file: symbols.file, text: symbolTexts.text })
      .from(symbols)
      .innerJoin(symbolTexts, eq(symbolTexts.hash, symbols.hash))
      .where(and(eq(symbols.repoId, store.repoId), eq(symbols.alive, true), eq(symbols.kind, 'module'), inArray(symbols.file, part)));
    for (const r of rows) out.set(r.file, r.text);
  }
  return out;
}

/** base/head of a pull request from the GitHub tables; null when not synced. */
export async function pullRequestTips(store: RepoStore, number: number): Promise<{ baseSha: string | null; headSha: string | null; title: string } | null> {
  const [row] = await store.db
    .select({ baseSha: pullRequests.baseSha, headSha: pullRequests.headSha, title: pullRequests.title })
    .from(pullRequests)
    .where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.number, number)))
    .limit(1);
  return row ?? null;
}
