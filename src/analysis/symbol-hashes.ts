/**
 * From the walk's findings to symbols: each symbol's lines, unique name and the hash of the tokens it
 * owns (its range, without its own name and without its nested symbols, which hash on their own).
 */
import type { ts } from 'ts-morph';
import { lineOfOffset, uniqueNames } from './syntax.ts';
import { tokenize, type TokenHints } from './tokens.ts';
import { MODULE_SYMBOL, type BlobSymbol, type SymbolKind } from './types.ts';

/** A symbol as the walk finds it: source offsets, not yet lines or a hash. */
export interface Draft {
  name: string;
  kind: SymbolKind;
  start: number;
  end: number;
  nameStart: number;
  parent: number;
  exported: boolean;
  complexity: number;
  bodyless: boolean;
  /** A unit split out of the top level (units.ts): named after every other symbol, so theirs never change. */
  unit: boolean;
}

/** What the walk leaves for hashing; the syntax tree is not in it. */
export interface Walked {
  drafts: Draft[];
  hints: TokenHints;
  moduleComplexity: number;
  variant: ts.LanguageVariant;
}

/**
 * Unique names in draft order. Symbols other than units are numbered among themselves exactly as
 * before units existed (`f`, `f#2`); a unit then takes its name, or the next free `#n` of it.
 */
function namesOf(drafts: readonly Draft[]): string[] {
  const legacy = uniqueNames(drafts.filter((d) => !d.unit).map((d) => d.name));
  if (legacy.length === drafts.length) return legacy;
  const taken = new Set(legacy);
  const next = new Map<string, number>();
  let l = 0;
  return drafts.map((d) => {
    if (!d.unit) return legacy[l++]!;
    let n = next.get(d.name) ?? 1;
    let name = n === 1 ? d.name : `${d.name}#${n}`;
    while (taken.has(name)) name = `${d.name}#${++n}`;
    next.set(d.name, n + 1);
    taken.add(name);
    return name;
  });
}

/** The symbols of `walked`, in walk order, then `(module)` when the top level has tokens of its own. */
export function symbolsOf(text: string, walked: Walked, lineStarts: readonly number[], lineCount: number): BlobSymbol[] {
  const { drafts } = walked;
  walked.hints.spans.sort((a, b) => a.start - b.start);
  const stream = tokenize(text, walked.variant, walked.hints);
  const names = namesOf(drafts);
  // Each symbol hashes the tokens it owns: nested symbols are holes, hashed on their own.
  const holes: number[][] = drafts.map(() => []);
  const roots: number[] = [];
  for (const d of drafts) (d.parent === -1 ? roots : holes[d.parent]!).push(d.start, d.end);
  const symbols: BlobSymbol[] = drafts.map((d, i) => {
    stream.collectRuns(d.start, d.end, d.nameStart, holes[i]!);
    return {
      name: names[i]!,
      kind: d.kind,
      startLine: lineOfOffset(lineStarts, d.start),
      endLine: lineOfOffset(lineStarts, Math.max(d.start, d.end - 1)),
      exported: d.exported,
      complexity: d.complexity,
      hash: stream.hashRuns(),
      parent: d.parent,
    };
  });
  // The rest of the top level; a file that is nothing but declarations has none.
  if (stream.collectRuns(0, Number.MAX_SAFE_INTEGER, -1, roots) === 0) return symbols;
  symbols.push({
    name: MODULE_SYMBOL,
    kind: 'module',
    startLine: 1,
    endLine: Math.max(1, lineCount),
    exported: false,
    complexity: walked.moduleComplexity,
    hash: stream.hashRuns(),
    parent: -1,
  });
  return symbols;
}
