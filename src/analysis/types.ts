/**
 * Shapes shared by the symbol analysis: what one blob (one version of one file) yields.
 * Stored as JSON in blob_analyses.symbols, so keep field names short-lived-stable.
 */
export { MODULE_SYMBOL, SYMBOL_KINDS, type BlobSymbol, type SymbolKind } from '../core/blob-symbols.ts';
import type { BlobSymbol } from '../core/blob-symbols.ts';

export const BLOB_STATUSES = [
  'ok',
  'parse-error',
  'too-large',
  'generated',
  'ignored',
  'binary',
  'unsupported',
  'missing',
] as const;
export type BlobStatus = (typeof BLOB_STATUSES)[number];

export interface BlobAnalysis {
  status: BlobStatus;
  /** Why the file is kept at file granularity (null when status is ok). */
  reason: string | null;
  lineCount: number;
  /** Empty unless status is ok. */
  symbols: BlobSymbol[];
}

/** Extensions parsed down to symbols; everything else stays at file granularity. */
export const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

export function scriptExtension(path: string): (typeof SCRIPT_EXTENSIONS)[number] | null {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return null;
  const ext = path.slice(dot).toLowerCase();
  return (SCRIPT_EXTENSIONS as readonly string[]).includes(ext) ? (ext as (typeof SCRIPT_EXTENSIONS)[number]) : null;
}

/** Lines as git counts them: "\n"-separated, a final newline does not open a new line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/** countLines(text) from the text's line starts (one per "\n", plus 0), without scanning it again. */
export function countLinesFromStarts(text: string, lineStarts: readonly number[]): number {
  if (text === '') return 0;
  return text.endsWith('\n') ? lineStarts.length - 1 : lineStarts.length;
}
