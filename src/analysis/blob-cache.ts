/**
 * Blob-level facts for an analysis run: each blob's analysis (parsed once ever, then read back from
 * blob_analyses) and forward blame (blob_lines). Blobs come through the run's one cat-file process.
 * Caches are per batch so memory stays flat over long histories.
 */
import { loadBlobAnalysisRows, loadBlobLineRows, type AnalysisWrites } from '../db/repo/symbols.ts';
import type { RepoStore } from '../db/store.ts';
import { decodeRuns, encodeRuns, type LineOrigins } from './blame.ts';
import type { CatFileBatch } from '../git/cat-file.ts';
import { MAX_ANALYZED_BYTES, tooLargeAnalysis, type PathAttributes } from './classify.ts';
import { ParsePool } from './parse-pool.ts';
import { BLOB_STATUSES, type BlobAnalysis, type BlobStatus, type BlobSymbol } from './types.ts';

export const MISSING_ANALYSIS: BlobAnalysis = {
  status: 'missing',
  reason: 'blob not in the repository (partial or shallow clone)',
  lineCount: 0,
  symbols: [],
};

/** Statuses for which the content was read and its lines counted, so forward blame applies. */
export function hasLines(a: BlobAnalysis): boolean {
  return a.status !== 'missing' && a.status !== 'binary';
}

export class BlobCache {
  private analyses = new Map<string, BlobAnalysis>();
  private origins = new Map<string, LineOrigins | null>();
  private contents = new Map<string, Buffer>();
  parsed = 0;

  constructor(
    private readonly store: RepoStore,
    private readonly cat: CatFileBatch,
    private readonly attributes: (path: string) => PathAttributes,
    private readonly writes: () => AnalysisWrites,
    private readonly pool: ParsePool = new ParsePool(1),
  ) {}

  /** Loads or computes the analyses of these blobs, and loads the stored blame of `originOids`. */
  async prepare(wanted: readonly { oid: string; path: string }[], originOids: readonly string[]): Promise<void> {
    const pathOf = new Map<string, string>();
    for (const w of wanted) if (!this.analyses.has(w.oid) && !pathOf.has(w.oid)) pathOf.set(w.oid, w.path);
    for (const row of await loadBlobAnalysisRows(this.store, [...pathOf.keys()])) {
      this.analyses.set(row.blob, {
        status: (BLOB_STATUSES as readonly string[]).includes(row.status) ? (row.status as BlobStatus) : 'missing',
        reason: row.reason,
        lineCount: row.lineCount,
        symbols: parseSymbols(row.symbols),
      });
      pathOf.delete(row.blob);
    }
    await this.analyzeFromGit([...pathOf]);
    const needOrigins = [...new Set(originOids)].filter((o) => !this.origins.has(o));
    for (const o of needOrigins) this.origins.set(o, null);
    for (const row of await loadBlobLineRows(this.store, needOrigins)) this.origins.set(row.blob, decodeRuns(safeJson(row.runs)));
  }

  analysis(oid: string): BlobAnalysis {
    return this.analyses.get(oid) ?? MISSING_ANALYSIS;
  }

  /** Analysis of a blob that prepare() did not cover (e.g. the head tree's). */
  async ensureAnalysis(oid: string, path: string): Promise<BlobAnalysis> {
    if (!this.analyses.has(oid)) await this.prepare([{ oid, path }], []);
    return this.analysis(oid);
  }

  async originsOf(oid: string | null): Promise<LineOrigins | null> {
    if (!oid) return null;
    if (!this.origins.has(oid)) {
      const rows = await loadBlobLineRows(this.store, [oid]);
      this.origins.set(oid, rows[0] ? decodeRuns(safeJson(rows[0].runs)) : null);
    }
    return this.origins.get(oid) ?? null;
  }

  hasOrigins(oid: string): boolean {
    return (this.origins.get(oid) ?? null) !== null;
  }

  setOrigins(oid: string, origins: LineOrigins): void {
    this.origins.set(oid, origins);
    this.writes().blobLines.push({ blob: oid, runs: JSON.stringify(encodeRuns(origins)) });
  }

  /** The blob's text (null if missing); read again through cat-file when not cached. */
  async text(oid: string): Promise<string | null> {
    let content = this.contents.get(oid);
    if (!content) {
      const read = await this.cat.readBlob(oid);
      if (!read) return null;
      content = read;
      this.contents.set(oid, content);
    }
    return content.toString('utf8');
  }

  endBatch(): void {
    this.analyses = new Map();
    this.origins = new Map();
    this.contents = new Map();
  }

  /** Reads the blobs in order, parses them on the pool, and records the results in the same order. */
  private async analyzeFromGit(blobs: readonly [oid: string, path: string][]): Promise<void> {
    const read: { oid: string; path: string; content: Buffer | null; skipped: { size: number; lineCount: number } | null }[] = [];
    for (const [oid, path] of blobs) {
      // A blob over the analysis limit streams past: only its size and line count are kept.
      const got = await this.cat.readBlobWithin(oid, MAX_ANALYZED_BYTES);
      if (!got) this.analyses.set(oid, MISSING_ANALYSIS);
      else if ('skipped' in got) read.push({ oid, path, content: null, skipped: got.skipped });
      else read.push({ oid, path, content: got.content, skipped: null });
    }
    const parsed = read.filter((r) => r.content !== null);
    const results = await this.pool.analyzeAll(parsed.map((r) => ({ path: r.path, content: r.content!, attrs: this.attributes(r.path) })));
    const resultOf = new Map(parsed.map((r, i) => [r, results[i]!]));
    for (const r of read) {
      // The same verdict analyzeBlobText gives for an oversized blob (its size check comes first).
      const analysis = r.skipped ? tooLargeAnalysis(r.skipped.size, r.skipped.lineCount) : resultOf.get(r)!;
      this.parsed++;
      this.analyses.set(r.oid, analysis);
      if (analysis.status === 'ok' && r.content) this.contents.set(r.oid, r.content);
      this.writes().blobAnalyses.push({
        blob: r.oid,
        status: analysis.status,
        reason: analysis.reason,
        lineCount: analysis.lineCount,
        symbols: JSON.stringify(analysis.symbols),
      });
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function parseSymbols(json: string): BlobSymbol[] {
  const value = safeJson(json);
  return Array.isArray(value) ? (value as BlobSymbol[]) : [];
}
