/**
 * Where a changed symbol sits at head, from the stored blob analysis: its index in the blob's
 * symbol list, the file lines its stored text was cut from, whether it is public API; and how
 * nested changed items share findings and lines with the items around them.
 */
import { symbolSourceText } from '../analysis/diff.ts';
import type { StoredBlobAnalysis } from '../db/repo/checklist.ts';
import { isPublicDeclaration } from './signature.ts';
import type { Fragment } from './source.ts';
import type { Flag } from './types.ts';

export function findSymbol(analysis: StoredBlobAnalysis | undefined, name: string): number {
  return analysis?.status === 'ok' ? analysis.symbols.findIndex((s) => s.name === name) : -1;
}

/** A public method, accessor or property of an exported class is public API too. */
export function memberOfExported(symbols: StoredBlobAnalysis['symbols'], index: number, fragment: Fragment | null): boolean {
  const parent = symbols[symbols[index]!.parent];
  return !!parent && parent.exported && parent.kind === 'class' && fragment !== null && isPublicDeclaration(fragment);
}

/** File lines each line of a symbol's stored text comes from (the analysis' own cut, run on line numbers). */
const numberedLines = new WeakMap<StoredBlobAnalysis, string[]>();

export function sourceLines(analysis: StoredBlobAnalysis, index: number): number[] | null {
  if (analysis.lineCount <= 0) return null;
  let numbered = numberedLines.get(analysis);
  if (!numbered) numberedLines.set(analysis, (numbered = Array.from({ length: analysis.lineCount }, (_, i) => String(i + 1))));
  return symbolSourceText(numbered, analysis.symbols, index)
    .split('\n')
    .map((l) => Number.parseInt(l, 10));
}

/**
 * A changed method inside a changed class: the class's text repeats the method's, so its findings
 * and changed lines belong to the innermost item only. Outer flags pointing inside a nested changed
 * item are dropped and the nested items' changed lines are subtracted from the outer's.
 */
export interface NestableDraft {
  item: { kind: string; file: string; line: number | null; changedLines: number; flags: Flag[] };
  headEnd: number | null;
  effortLines: number;
}

export function attributeNested(drafts: NestableDraft[]): void {
  const ranged = drafts.filter((d) => d.item.line !== null && d.headEnd !== null && d.item.kind !== 'file');
  const byFile = new Map<string, NestableDraft[]>();
  for (const d of ranged) {
    const list = byFile.get(d.item.file);
    if (list) list.push(d);
    else byFile.set(d.item.file, [d]);
  }
  const original = new Map(ranged.map((d) => [d, d.item.changedLines]));
  for (const list of byFile.values()) {
    if (list.length < 2) continue;
    for (const outer of list) {
      const [s, e] = [outer.item.line!, outer.headEnd!];
      const inner = list.filter((d) => d !== outer && d.item.line! >= s && d.headEnd! <= e && (d.item.line! > s || d.headEnd! < e));
      if (inner.length === 0) continue;
      const inside = (line: number | null) => line !== null && inner.some((d) => line >= d.item.line! && line <= d.headEnd!);
      outer.item.flags = outer.item.flags.filter((f) => !inside(f.line));
      // Only the direct children: grandchildren are already inside their parents' counts.
      const direct = inner.filter((d) => !inner.some((p) => p !== d && d.item.line! >= p.item.line! && d.headEnd! <= p.headEnd!));
      const nestedLines = direct.reduce((n, d) => n + original.get(d)!, 0);
      outer.item.changedLines = Math.max(0, outer.item.changedLines - nestedLines);
      outer.effortLines = Math.max(0, outer.effortLines - nestedLines);
    }
  }
}
