/**
 * Callers outside the change: symbols alive at the analyzed head, not part of the checklist,
 * whose text mentions a changed top-level function, class, interface, type or enum by name, and whose file
 * is the changed symbol's own file or imports it (a relative import in its `(module)` text).
 * Read them for impact after the implementations. Bounded: names of at least 3 characters, at
 * most MAX_CALLERS results, tests left out (tests come last in their own group).
 */
import { dirname, joinPath } from '../core/posix-path.ts';
import { moduleTexts, symbolsMentioning } from '../db/repo/checklist.ts';
import type { Store } from '../db/store.ts';
import { isTestPath } from './aggregate.ts';
import { identifiersOf, simpleName } from './source.ts';
import type { CallerItem } from './types.ts';

export const MAX_CALLERS = 20;
/** Substring matches fetched before whole-identifier and import filtering. */
const CANDIDATE_ROWS = 1000;
const CALLABLE_KINDS = new Set(['function', 'class', 'interface', 'type', 'enum']);
const SCRIPT_EXT = /\.(d\.ts|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

interface ChangedSymbol {
  symbol: string;
  kind: string;
  file: string;
  line: number | null;
  headEnd: number | null;
  symbolId: number | null;
}

/** Module paths (without extension, `/index` dropped) a file's relative imports resolve to. */
export function importedModules(file: string, moduleText: string): Set<string> {
  const out = new Set<string>();
  const dir = dirname(file);
  for (const m of moduleText.matchAll(/\bfrom\s*['"](\.{1,2}\/[^'"]*)['"]|\bimport\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g)) {
    const spec = (m[1] ?? m[2])!;
    out.add(joinPath(dir, spec).replace(SCRIPT_EXT, '').replace(/\/index$/, ''));
  }
  return out;
}

const moduleId = (file: string) => file.replace(SCRIPT_EXT, '').replace(/\/index$/, '');

export async function findCallers(store: Store, changed: readonly ChangedSymbol[]): Promise<Omit<CallerItem, 'order'>[]> {
  const byName = new Map<string, ChangedSymbol[]>();
  for (const c of changed) {
    // Top-level declarations only: a nested `outer.inner` function can't be called from elsewhere.
    if (c.symbol === '' || c.symbol.includes('.') || !CALLABLE_KINDS.has(c.kind)) continue;
    const name = simpleName(c.symbol);
    if (name.length < 3) continue;
    const list = byName.get(name);
    if (list) list.push(c);
    else byName.set(name, [c]);
  }
  if (byName.size === 0) return [];
  const ids = new Set(changed.map((c) => c.symbolId).filter((id): id is number => id !== null));
  const within = (file: string, line: number) =>
    changed.some((c) => c.file === file && c.line !== null && c.headEnd !== null && line >= c.line && line <= c.headEnd);
  const rows = (await symbolsMentioning(store, [...byName.keys()], CANDIDATE_ROWS)).filter(
    (r) => !ids.has(r.id) && !isTestPath(r.file) && !within(r.file, r.startLine),
  );
  const imports = new Map<string, Set<string>>();
  for (const [file, text] of await moduleTexts(store, rows.map((r) => r.file))) imports.set(file, importedModules(file, text));
  const out: Omit<CallerItem, 'order'>[] = [];
  for (const r of rows) {
    const mentioned = identifiersOf(r.text);
    const reach = imports.get(r.file);
    const calls = [...byName]
      .filter(([name]) => mentioned.has(name))
      .flatMap(([, targets]) => targets.filter((t) => t.file === r.file || reach?.has(moduleId(t.file))))
      .map((t) => `${t.file}#${t.symbol}`);
    if (calls.length > 0) out.push({ symbol: r.name, kind: r.kind, file: r.file, line: r.startLine, calls: [...new Set(calls)].sort() });
  }
  return out
    .sort((a, b) => b.calls.length - a.calls.length || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
    .slice(0, MAX_CALLERS);
}
