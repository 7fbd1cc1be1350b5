/**
 * Bench support: the symbol analysis and the bare TypeScript parser over the same file versions,
 * so `npm run bench` can report analysis throughput as a ratio of raw parsing throughput.
 */
import { analyzedBlobs } from '../db/repo/symbols.ts';
import { ts } from 'ts-morph';
import type { RepoStore } from '../db/store.ts';
import { CatFileBatch } from '../git/cat-file.ts';
import { analyzeBlobText } from './classify.ts';
import { SCRIPT_KINDS } from './parse.ts';
import { scriptExtension } from './types.ts';

export interface SourceText {
  path: string;
  text: string;
}


/** Full per-blob analysis (classification, parse, walk, token hashes) of each text. */
export function analyzeTexts(files: readonly SourceText[]): { files: number; symbols: number; ms: number } {
  const started = performance.now();
  let symbols = 0;
  for (const f of files) symbols += analyzeBlobText(f.path, f.text).symbols.length;
  return { files: files.length, symbols, ms: performance.now() - started };
}

/** `ts.createSourceFile` alone over the same texts (same script kinds, no parent pointers). */
export function parseTextsRaw(files: readonly SourceText[]): { files: number; ms: number } {
  const started = performance.now();
  for (const f of files) {
    const kind = SCRIPT_KINDS[scriptExtension(f.path) ?? '.ts'];
    ts.createSourceFile(f.path, f.text, ts.ScriptTarget.Latest, false, kind);
  }
  return { files: files.length, ms: performance.now() - started };
}

/** The distinct file versions an analyzed database parsed down to symbols, read back from git. */
export async function analyzedFileVersions(store: RepoStore, repoDir: string, limit = 1_000_000): Promise<SourceText[]> {
  const rows = await analyzedBlobs(store, limit);
  const cat = new CatFileBatch(repoDir);
  try {
    const texts = await Promise.all(rows.map(async (r) => ({ path: r.path, content: await cat.readBlob(r.blob) })));
    return texts.flatMap((t) => (t.content ? [{ path: t.path, text: t.content.toString('utf8') }] : []));
  } finally {
    await cat.close();
  }
}
