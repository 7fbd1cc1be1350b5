/**
 * Symbol analysis of a repository's whole history, and its per-file throughput against raw
 * `ts.createSourceFile` over the same file versions, in the same process, paired runs.
 */
import { openNodeStore } from '../src/db/node/open.ts';
import { forRepo } from '../src/db/store.ts';
import { chooseRepoStore } from '../src/db/repo/repos.ts';
import { ingestRepository } from '../src/ingest/ingest.ts';
import { analyzeRepository } from '../src/analysis/analyze.ts';
import { analyzeTexts, analyzedFileVersions, parseTextsRaw } from '../src/analysis/bench.ts';
import { median } from './common.ts';

/** Ingests and analyzes `repo` into `dbFile`; returns the whole-history timing. */
export async function benchFullAnalysis(repo: string, dbFile: string) {
  const store = openNodeStore(dbFile);
  try {
    const ingest = await ingestRepository(store, repo);
    const started = performance.now();
    const a = await analyzeRepository(forRepo(store, ingest.repoId), repo);
    return { commits: ingest.newCommits, analyzeMs: performance.now() - started, blobsParsed: a.blobsParsed, symbolChanges: a.symbolChanges, currentSymbols: a.currentSymbols };
  } finally {
    store.close();
  }
}

/** Symbols per second of the analysis vs files per second of the raw parser on the same versions. */
export async function benchParseThroughput(repo: string, dbFile: string, runs = 3, limit = 3000) {
  const store = openNodeStore(dbFile);
  let files;
  try {
    files = await analyzedFileVersions(await chooseRepoStore(store, { cwd: repo }), repo, limit);
  } finally {
    store.close();
  }
  // Warm up both paths on every file once (JIT and caches), so that no measured run is a cold one.
  analyzeTexts(files);
  parseTextsRaw(files);
  const ratios: number[] = [];
  const analysisMs: number[] = [];
  const rawMs: number[] = [];
  let symbols = 0;
  for (let i = 0; i < runs; i++) {
    const a = analyzeTexts(files);
    const r = parseTextsRaw(files);
    symbols = a.symbols;
    analysisMs.push(a.ms);
    rawMs.push(r.ms);
    ratios.push(r.ms / a.ms); // analysis throughput as a share of the raw parser's
  }
  const aMs = median(analysisMs);
  return {
    files: files.length,
    symbols,
    analysisMs: aMs,
    rawMs: median(rawMs),
    symbolsPerSecond: (symbols / aMs) * 1000,
    throughputRatio: median(ratios),
  };
}
