/**
 * What one commit did to symbols: compares the symbol lists of each changed file's old and new
 * version by name (a renamed file pairs old and new path), then pairs deletions with additions of
 * the same content hash across the whole commit as moves. Pure: no git, no database.
 */
import { MODULE_SYMBOL, type BlobSymbol, type SymbolKind } from './types.ts';

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'moved';

export interface FileSymbols {
  path: string;
  /** The path the old side had (renames and copies), else null. */
  oldPath: string | null;
  /** Symbols before the commit; null when there is nothing to compare at symbol level. */
  oldSymbols: readonly BlobSymbol[] | null;
  /** Symbols after the commit; null when the file is gone or kept at file granularity. */
  newSymbols: readonly BlobSymbol[] | null;
  /** The commit deletes the file. */
  deleted: boolean;
}

export interface SymbolEvent {
  change: ChangeKind;
  /** Index into the commit's file list of the file the event is recorded under. */
  fileIndex: number;
  file: string;
  name: string;
  kind: SymbolKind;
  oldFile: string | null;
  oldName: string | null;
  /** Index into newSymbols of the new version (null for deletions). */
  newIndex: number | null;
  after: BlobSymbol | null;
  before: BlobSymbol | null;
  /** For moves: index into the commit's file list of the file the symbol left. */
  fromFileIndex: number | null;
}

interface Candidate {
  fileIndex: number;
  file: string;
  index: number;
  symbol: BlobSymbol;
}

export function diffCommitSymbols(files: readonly FileSymbols[]): SymbolEvent[] {
  const events: SymbolEvent[] = [];
  const added: Candidate[] = [];
  const deleted: Candidate[] = [];
  files.forEach((f, fileIndex) => {
    if (f.newSymbols === null && !f.deleted) return; // file granularity now: nothing to say per symbol
    const oldFile = f.oldPath ?? f.path;
    const olds = new Map<string, { symbol: BlobSymbol; index: number }>();
    (f.oldSymbols ?? []).forEach((symbol, index) => olds.set(symbol.name, { symbol, index }));
    (f.newSymbols ?? []).forEach((symbol, index) => {
      const old = olds.get(symbol.name);
      if (!old) {
        added.push({ fileIndex, file: f.path, index, symbol });
        return;
      }
      olds.delete(symbol.name);
      const renamed = oldFile !== f.path;
      if (old.symbol.hash === symbol.hash && !renamed) return;
      events.push({
        change: old.symbol.hash === symbol.hash ? 'moved' : 'modified',
        fileIndex,
        file: f.path,
        name: symbol.name,
        kind: symbol.kind,
        oldFile: renamed ? oldFile : null,
        oldName: null,
        newIndex: index,
        after: symbol,
        before: old.symbol,
        fromFileIndex: renamed ? fileIndex : null,
      });
    });
    for (const { symbol, index } of olds.values()) deleted.push({ fileIndex, file: oldFile, index, symbol });
  });

  const deletedByHash = new Map<string, Candidate[]>();
  for (const d of deleted) {
    if (d.symbol.kind === 'module') continue;
    const list = deletedByHash.get(d.symbol.hash);
    if (list) list.push(d);
    else deletedByHash.set(d.symbol.hash, [d]);
  }
  const movedAway = new Set<Candidate>();
  for (const a of added) {
    const list = a.symbol.name === MODULE_SYMBOL ? undefined : deletedByHash.get(a.symbol.hash);
    const sameKind = list?.filter((d) => d.symbol.kind === a.symbol.kind && !movedAway.has(d)) ?? [];
    const from = sameKind.find((d) => d.file === a.file) ?? sameKind[0];
    if (from) {
      movedAway.add(from);
      events.push({
        change: 'moved',
        fileIndex: a.fileIndex,
        file: a.file,
        name: a.symbol.name,
        kind: a.symbol.kind,
        oldFile: from.file === a.file ? null : from.file,
        oldName: from.symbol.name === a.symbol.name ? null : from.symbol.name,
        newIndex: a.index,
        after: a.symbol,
        before: from.symbol,
        fromFileIndex: from.fileIndex,
      });
    } else {
      events.push(eventOf('added', a, null));
    }
  }
  for (const d of deleted) if (!movedAway.has(d)) events.push(eventOf('deleted', d, d.symbol));
  return events;
}

function eventOf(change: 'added' | 'deleted', c: Candidate, before: BlobSymbol | null): SymbolEvent {
  return {
    change,
    fileIndex: c.fileIndex,
    file: c.file,
    name: c.symbol.name,
    kind: c.symbol.kind,
    oldFile: null,
    oldName: null,
    newIndex: change === 'added' ? c.index : null,
    after: change === 'added' ? c.symbol : null,
    before,
    fromFileIndex: null,
  };
}

/**
 * For each line (index line-1), the index of the innermost symbol containing it; lines outside
 * every other symbol belong to `(module)` (the last symbol of an analysis), or -1 if there is none.
 */
export function innermostSymbolByLine(symbols: readonly BlobSymbol[], lineCount: number): Int32Array {
  const owner = new Int32Array(lineCount).fill(-1);
  const moduleIndex = symbols.findIndex((s) => s.kind === 'module');
  if (moduleIndex >= 0) owner.fill(moduleIndex);
  // Outer symbols first, so that nested ones overwrite them.
  const order = symbols
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.kind !== 'module')
    .sort((a, b) => a.s.startLine - b.s.startLine || b.s.endLine - a.s.endLine || a.i - b.i);
  for (const { s, i } of order) {
    const end = Math.min(s.endLine, lineCount);
    for (let line = Math.max(1, s.startLine); line <= end; line++) owner[line - 1] = i;
  }
  return owner;
}

/** Added lines per symbol index (innermost only), split agent / non-agent. */
export function linesPerSymbol(
  owner: Int32Array,
  lines: readonly { line: number; agent: boolean }[],
): Map<number, { agent: number; human: number }> {
  const counts = new Map<number, { agent: number; human: number }>();
  for (const { line, agent } of lines) {
    const i = line >= 1 && line <= owner.length ? owner[line - 1]! : -1;
    let c = counts.get(i);
    if (!c) counts.set(i, (c = { agent: 0, human: 0 }));
    if (agent) c.agent++;
    else c.human++;
  }
  return counts;
}

/** Longer symbol texts are not stored: every version of a huge `(module)` would dominate the database. */
export const MAX_STORED_TEXT = 64 * 1024;

/** The text to store for a symbol version, or null when it is too long to keep. */
export function storableSymbolText(lines: readonly string[], symbols: readonly BlobSymbol[], index: number): string | null {
  const text = symbolSourceText(lines, symbols, index);
  return text.length <= MAX_STORED_TEXT ? text : null;
}

/**
 * Source text of one symbol version as its hash sees it, for "what changed since" views: its lines
 * with each nested symbol cut to its first line plus " …"; for `(module)`, the lines outside every
 * top-level symbol.
 */
export function symbolSourceText(lines: readonly string[], symbols: readonly BlobSymbol[], index: number): string {
  const s = symbols[index]!;
  const isModule = s.kind === 'module';
  const from = isModule ? 1 : s.startLine;
  const to = Math.min(isModule ? lines.length : s.endLine, lines.length);
  const keep = new Uint8Array(lines.length + 1).fill(1);
  const marked = new Set<number>();
  symbols.forEach((t, i) => {
    if (i === index || t.kind === 'module' || (isModule ? t.parent !== -1 : t.parent !== index)) return;
    if (isModule) {
      for (let l = t.startLine; l <= t.endLine && l <= lines.length; l++) keep[l] = 0;
    } else if (t.endLine > t.startLine) {
      for (let l = t.startLine + 1; l <= t.endLine && l <= lines.length; l++) keep[l] = 0;
      marked.add(t.startLine);
    }
  });
  const out: string[] = [];
  for (let l = from; l <= to; l++) {
    if (!keep[l]) continue;
    out.push(marked.has(l) ? `${lines[l - 1]} …` : lines[l - 1]!);
  }
  return out.join('\n');
}
