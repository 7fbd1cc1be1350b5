/**
 * Callers outside the change: symbols alive at the analyzed head, not part of the checklist,
 * whose text mentions a changed top-level function, class, constant, interface, type or enum (or a
 * changed method, as `.name(`) by name, and whose file is the changed symbol's own file or imports
 * it (a relative import in its `(module)` text). Two relations, listed apart: `calls` (calls the
 * function or method, constructs or uses the class or constant) and `references` (only names an
 * interface, type or enum, or a class in a type position). Same-file callers count: only symbols
 * inside a changed function-like item are part of reading that item. Bounded: names of at least 3
 * characters (4 for methods), at most MAX_CALLERS results, tests left out (they come last).
 */
import { dirname, joinPath } from '../core/posix-path.ts';
import { moduleTexts, symbolsMentioning } from '../db/repo/checklist.ts';
import type { RepoStore } from '../db/store.ts';
import { isTestPath } from './aggregate.ts';
import { identifiersOf, simpleName } from './source.ts';
import type { CallerItem } from './types.ts';

export const MAX_CALLERS = 20;
/** Substring matches fetched before whole-identifier and import filtering. */
const CANDIDATE_ROWS = 1000;
const CALLABLE_KINDS = new Set(['function', 'class', 'interface', 'type', 'enum', 'const']);
const METHOD_KINDS = new Set(['method', 'getter', 'setter']);
const TYPE_KINDS = new Set(['interface', 'type', 'enum']);
/** Items whose range holds other symbols that are not part of reading them (a file's module, a class's methods). */
const CONTAINER_KINDS = new Set(['module', 'class', 'namespace', 'interface', 'file']);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How `text` relates to a changed symbol it mentions by (simple) name. */
export function relationTo(text: string, name: string, kind: string): 'calls' | 'references' | null {
  const n = escapeRegExp(name);
  if (METHOD_KINDS.has(kind)) return new RegExp(`\\.${n}\\s*(?:<[^>()]*>)?\\s*\\(`).test(text) || (kind !== 'method' && new RegExp(`\\.${n}\\b`).test(text)) ? 'calls' : null;
  if (TYPE_KINDS.has(kind)) return 'references';
  if (kind === 'class') {
    // Constructed, extended, or a static member used; else only named as a type.
    return new RegExp(`\\bnew\\s+${n}\\b|\\bextends\\s+${n}\\b|(?<![\\w$.])${n}\\s*[.(]`).test(text) ? 'calls' : 'references';
  }
  if (kind === 'function') return new RegExp(`(?<![\\w$.])${n}\\s*(?:<[^>()]*>)?\\s*\\(|(?<![\\w$.])${n}(?![\\w$])\\s*[,)\\]]`).test(text) ? 'calls' : 'references';
  return 'calls'; // a constant: any mention reads its value
}
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

export async function findCallers(store: RepoStore, changed: readonly ChangedSymbol[]): Promise<Omit<CallerItem, 'order'>[]> {
  const byName = new Map<string, ChangedSymbol[]>();
  for (const c of changed) {
    // Top-level declarations and methods: a nested `outer.inner` function can't be called from elsewhere.
    const method = METHOD_KINDS.has(c.kind);
    // Methods of a class (`Cache.get`), not members of objects inside functions (`make.obj.update`): those names are everywhere.
    if (c.symbol === '' || (method ? c.symbol.split('.').length !== 2 : c.symbol.includes('.') || !CALLABLE_KINDS.has(c.kind))) continue;
    const name = simpleName(c.symbol);
    if (name.length < (method ? 4 : 3) || name === 'constructor') continue;
    const list = byName.get(name);
    if (list) list.push(c);
    else byName.set(name, [c]);
  }
  if (byName.size === 0) return [];
  const ids = new Set(changed.map((c) => c.symbolId).filter((id): id is number => id !== null));
  const within = (file: string, line: number) =>
    changed.some((c) => !CONTAINER_KINDS.has(c.kind) && c.file === file && c.line !== null && c.headEnd !== null && line >= c.line && line <= c.headEnd);
  const rows = (await symbolsMentioning(store, [...byName.keys()], CANDIDATE_ROWS)).filter(
    (r) => !ids.has(r.id) && !isTestPath(r.file) && !within(r.file, r.startLine),
  );
  const imports = new Map<string, Set<string>>();
  for (const [file, text] of await moduleTexts(store, rows.map((r) => r.file))) imports.set(file, importedModules(file, text));
  const out: Omit<CallerItem, 'order'>[] = [];
  for (const r of rows) {
    const mentioned = identifiersOf(r.text);
    const reach = imports.get(r.file);
    const calls = new Set<string>();
    const references = new Set<string>();
    for (const [name, targets] of byName) {
      if (!mentioned.has(name)) continue;
      for (const t of targets) {
        if (t.file !== r.file && !reach?.has(moduleId(t.file))) continue;
        const relation = relationTo(r.text, name, t.kind);
        if (relation === 'calls') calls.add(`${t.file}#${t.symbol}`);
        else if (relation === 'references') references.add(`${t.file}#${t.symbol}`);
      }
    }
    if (calls.size + references.size > 0) {
      out.push({ symbol: r.name, kind: r.kind, file: r.file, line: r.startLine, calls: [...calls].sort(), references: [...references].sort() });
    }
  }
  // Callers before mere references, then by how much of the change they touch.
  return out
    .sort((a, b) => Number(a.calls.length === 0) - Number(b.calls.length === 0) || b.calls.length - a.calls.length || b.references.length - a.references.length || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
    .slice(0, MAX_CALLERS);
}
