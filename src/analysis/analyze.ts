/**
 * `analyzeRepository`: symbol analysis of every ingested commit not analyzed yet, in ingest (seq)
 * order, in batches. Each batch's rows are written in one transaction together with its commits'
 * `analyzed = 1`, so a killed run resumes after the last stored batch and a re-run changes nothing.
 * Blobs are read through one `git cat-file --batch` per run and parsed once ever (blob_analyses).
 * After the batches, the current state of every symbol is recomputed from the head tree.
 */
import { GraspError } from '../core/errors.ts';
import { normalizeRanges, parseRanges, type Range } from '../core/ranges.ts';
import { getCommit } from '../db/repo/commits.ts';
import { getRepoMeta, getRepoRoot } from '../db/repo/repos.ts';
import {
  analysisWriteQueries,
  countPendingCommits,
  emptyWrites,
  existingSymbolTexts,
  loadAiLines,
  loadAllSymbolRows,
  firstFreeSymbolId,
  loadFileChanges,
  loadPendingCommits,
  type AnalysisWrites,
} from '../db/repo/symbols.ts';
import { moveSymbolsIntoNamespaces } from '../db/repo/symbol-namespace.ts';
import type { RepoStore } from '../db/store.ts';
import { inspectRepository } from '../git/repository.ts';
import { AttributeReader } from '../git/attributes.ts';
import { splitLines } from './blame.ts';
import { BlobCache } from './blob-cache.ts';
import { CatFileBatch } from '../git/cat-file.ts';
import { DEFAULT_IGNORE_GLOBS, PathPolicy, type PathVerdict } from './classify.ts';
import { analyzeCommit, type FileChange, type RunState } from './commit.ts';
import { refreshCurrentSymbols } from './current.ts';
import { storableSymbolText } from './diff.ts';
import { IdentityMap } from './identities.ts';
import { ParsePool } from './parse-pool.ts';
import { WritePacer } from '../db/write-pacer.ts';
import { groupBy } from '../core/group-by.ts';

export interface AnalyzeOptions {
  /** Ignore globs (minimatch, `matchBase`); default DEFAULT_IGNORE_GLOBS. */
  ignore?: readonly string[];
  /** Most commits per transaction (fewer when the time budget per transaction needs it). */
  batchSize?: number;
  /** Commits in the first transaction (later ones are sized to the time budget); tests make it small. */
  transactionCommits?: number;
  onProgress?: (p: { done: number; total: number; perSecond: number }) => void;
  /** Threads that parse (default 1: inline); results are identical for any number. */
  jobs?: number;
}

export interface AnalyzeSummary {
  root: string;
  head: string | null;
  /** Commits analyzed by this run. */
  commits: number;
  fileChanges: number;
  /** Blobs parsed by this run (each blob is parsed once ever). */
  blobsParsed: number;
  symbolChanges: number;
  /** file_analyses rows written by this run, by status. */
  byStatus: Record<string, number>;
  /** Symbols alive at head. */
  currentSymbols: number;
  durationMs: number;
}

export async function analyzeRepository(store: RepoStore, repoDir: string, opts: AnalyzeOptions = {}): Promise<AnalyzeSummary> {
  const started = performance.now();
  const info = await inspectRepository(repoDir);
  const tracked = await getRepoRoot(store);
  if (tracked && tracked !== info.root) {
    throw new GraspError('conflict', `this repository was ingested from ${tracked}, not ${info.root}`);
  }
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 200, 5000));
  const policy = new PathPolicy(opts.ignore ?? DEFAULT_IGNORE_GLOBS);
  const attributes = await AttributeReader.at(info.root, info.head);
  const cat = new CatFileBatch(info.root);
  const pool = new ParsePool(opts.jobs ?? 1);
  const summary: AnalyzeSummary = { root: info.root, head: info.head, commits: 0, fileChanges: 0, blobsParsed: 0, symbolChanges: 0, byStatus: {}, currentSymbols: 0, durationMs: 0 };
  try {
    let writes = emptyWrites();
    const verdicts = new Map<string, PathVerdict | null>();
    const verdict = (path: string) => {
      if (!verdicts.has(path)) verdicts.set(path, policy.verdict(path, attributes.get(path)));
      return verdicts.get(path)!;
    };
    const kinds = new Map<string, 'agent' | 'human' | 'bot' | null>();
    // Before numbering new identities: ids from before namespacing move into their repository's range.
    await moveSymbolsIntoNamespaces(store);
    const state: RunState = {
      blobs: new BlobCache(store, cat, (path) => attributes.get(path), () => writes, pool),
      cat,
      identities: IdentityMap.fromRows(await loadAllSymbolRows(store), await firstFreeSymbolId(store)),
      writes,
      verdict,
      async commitKind(sha) {
        if (!kinds.has(sha)) kinds.set(sha, (await getCommit(store, sha))?.kind ?? null);
        return kinds.get(sha)!;
      },
      textNeeds: new Map(),
    };
    const total = await countPendingCommits(store);
    const analyzedBefore = (await getRepoMeta(store, 'analysis.head')) ?? null;
    // Batches shrink below batchSize when their transaction would outrun the pacer's time budget.
    const pacer = new WritePacer(store);
    let commitsPerBatch = Math.min(batchSize, opts.transactionCommits ?? batchSize);
    for (;;) {
      const commitRows = await loadPendingCommits(store, commitsPerBatch);
      if (commitRows.length === 0) break;
      const shas = commitRows.map((c) => c.sha);
      const changes = await loadFileChanges(store, shas);
      const bySha = groupBy(changes, (c) => c.sha);
      const ai = aiRangesBySha(await loadAiLines(store, shas));
      await attributes.load(changes.flatMap((c) => (c.oldPath ? [c.path, c.oldPath] : [c.path])));
      await state.blobs.prepare(blobsToAnalyze(changes, verdict), changes.flatMap((c) => [c.oldBlob, c.newBlob].filter((b): b is string => !!b)));
      for (const c of commitRows) {
        await analyzeCommit(state, { sha: c.sha, parents: parseParents(c.parents), kind: c.kind }, bySha.get(c.sha) ?? [], ai.get(c.sha) ?? null);
      }
      await storeSymbolTexts(store, state);
      writes.symbols.push(...state.identities.takeDirty());
      writes.analyzedShas.push(...shas);
      tally(summary, writes, changes.length);
      const queries = analysisWriteQueries(store, writes);
      await pacer.atomic(queries);
      const queriesPerCommit = queries.length / commitRows.length;
      commitsPerBatch = Math.max(1, Math.min(batchSize, Math.floor(pacer.rowBudget() / Math.max(1, queriesPerCommit))));
      writes = emptyWrites();
      state.writes = writes;
      state.blobs.endBatch();
      summary.commits += commitRows.length;
      const seconds = (performance.now() - started) / 1000;
      opts.onProgress?.({ done: summary.commits, total, perSecond: seconds > 0 ? summary.commits / seconds : 0 });
    }
    if (summary.commits > 0 || analyzedBefore !== (info.head ?? '')) {
      summary.currentSymbols = await refreshCurrentSymbols({
        store,
        root: info.root,
        head: info.head,
        blobs: state.blobs,
        identities: state.identities,
        writes,
        verdict,
        loadAttributes: (paths) => attributes.load(paths),
      });
    } else {
      summary.currentSymbols = state.identities.all().filter((i) => i.alive).length;
    }
    summary.blobsParsed = state.blobs.parsed;
  } finally {
    await cat.close();
    await pool.close();
    attributes.close();
  }
  summary.durationMs = performance.now() - started;
  return summary;
}

/** Content-decided sides of each change: new blobs, and old blobs where the old version is compared. */
function blobsToAnalyze(changes: readonly FileChange[], verdict: (path: string) => PathVerdict | null): { oid: string; path: string }[] {
  const out: { oid: string; path: string }[] = [];
  for (const c of changes) {
    if (c.status !== 'D' && c.newBlob && !verdict(c.path)) out.push({ oid: c.newBlob, path: c.path });
    const oldPath = c.oldPath ?? c.path;
    if (c.status !== 'A' && c.oldBlob && !verdict(oldPath)) out.push({ oid: c.oldBlob, path: oldPath });
  }
  return out;
}

async function storeSymbolTexts(store: RepoStore, state: RunState): Promise<void> {
  const needs = state.textNeeds;
  if (needs.size === 0) return;
  const present = await existingSymbolTexts(store, [...needs.keys()]);
  const lines = new Map<string, string[] | null>();
  for (const [hash, need] of needs) {
    if (present.has(hash)) continue;
    if (!lines.has(need.blob)) {
      const text = await state.blobs.text(need.blob);
      lines.set(need.blob, text === null ? null : splitLines(text));
    }
    const blobLines = lines.get(need.blob);
    const text = blobLines ? storableSymbolText(blobLines, need.symbols, need.index) : null;
    if (text !== null) state.writes.symbolTexts.push({ hash, text });
  }
  needs.clear();
}

function tally(summary: AnalyzeSummary, writes: AnalysisWrites, fileChanges: number): void {
  summary.fileChanges += fileChanges;
  summary.symbolChanges += writes.symbolChanges.length;
  for (const f of writes.fileAnalyses) summary.byStatus[f.status] = (summary.byStatus[f.status] ?? 0) + 1;
}

function aiRangesBySha(rows: readonly { sha: string; path: string; agent: string | null; ranges: string }[]): Map<string, Map<string, Range[]>> {
  const out = new Map<string, Map<string, Range[]>>();
  for (const r of rows) {
    let byPath = out.get(r.sha);
    if (!byPath) out.set(r.sha, (byPath = new Map()));
    // Rows without an agent (known humans, untracked lines) mark line-level data but no agent lines.
    if (r.agent === null) {
      if (!byPath.has(r.path)) byPath.set(r.path, []);
      continue;
    }
    let ranges: Range[] = [];
    try {
      ranges = parseRanges(r.ranges);
    } catch {
      // A malformed note range counts as no agent lines for that session.
    }
    byPath.set(r.path, normalizeRanges([...(byPath.get(r.path) ?? []), ...ranges]));
  }
  return out;
}

function parseParents(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

