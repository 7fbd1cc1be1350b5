/**
 * Shapes of one blob's symbols, shared by the analysis (which produces them), the database layer
 * (which stores them as JSON in blob_analyses.symbols) and the reports. Pure: no I/O.
 */
export const SYMBOL_KINDS = [
  'function',
  'method',
  'constructor',
  'getter',
  'setter',
  'class',
  'interface',
  'type',
  'enum',
  'namespace',
  // Units split out of the top level (units.ts): exported or literal constants, registered
  // callbacks (`app.get('/x', ...)`), test blocks and hooks (`describe`/`it`/`beforeEach`).
  'const',
  'callback',
  'test',
  'module',
] as const;
export type SymbolKind = (typeof SYMBOL_KINDS)[number];

/** Name of the symbol that holds a file's remaining top-level statements. */
export const MODULE_SYMBOL = '(module)';

export interface BlobSymbol {
  /** Qualified name, e.g. `Cache.get`, `outer.inner`, `Cache.size:get`, `f#2`; see extract.ts. */
  name: string;
  kind: SymbolKind;
  /** 1-based, inclusive; lines count "\n" like git does. */
  startLine: number;
  endLine: number;
  exported: boolean;
  complexity: number;
  /**
   * Hash of the normalized tokens the symbol owns (whitespace, comments, trailing commas, quote and
   * `;` style ignored; its own name and its nested symbols left out: those have their own hashes).
   */
  hash: string;
  /** Index of the enclosing symbol in the same list, -1 for top level. */
  parent: number;
}
