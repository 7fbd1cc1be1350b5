/**
 * Understanding marks, the pure part: levels, mark targets, and the derivation of the current
 * state (fresh / stale) from the append-only mark history. No I/O here; the repository layer
 * (src/db/repo/marks.ts) and the debt model both build on these functions.
 */
import { GraspError } from './errors.ts';
import { quoteIfNeeded, readQuoted } from './target-quote.ts';

/** In increasing order of understanding. */
export const MARK_LEVELS = ['viewed', 'reviewed', 'explained'] as const;
export type MarkLevel = (typeof MARK_LEVELS)[number];

export const MARK_SOURCES = ['cli', 'web', 'api', 'github'] as const;
export type MarkSource = (typeof MARK_SOURCES)[number];

export function isMarkLevel(value: unknown): value is MarkLevel {
  return typeof value === 'string' && (MARK_LEVELS as readonly string[]).includes(value);
}

/** Negative when `a` is a lower level than `b`, 0 when equal, positive when higher. */
export function compareLevels(a: MarkLevel, b: MarkLevel): number {
  return MARK_LEVELS.indexOf(a) - MARK_LEVELS.indexOf(b);
}

/** True for levels that count as understanding (reviewed or explained); `viewed` only says someone looked. */
export function isUnderstandingLevel(level: MarkLevel): boolean {
  return compareLevels(level, 'reviewed') >= 0;
}

/** `explained` must carry the explanation itself; other levels may carry a note. */
export function checkMarkNote(level: MarkLevel, note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  if (level === 'explained' && trimmed === '') {
    throw new GraspError('invalid', 'level "explained" requires a note with the explanation');
  }
  return trimmed === '' ? null : trimmed;
}

// ---------------------------------------------------------------------------------------------
// Targets

/**
 * What a mark is written against, before expansion to symbols:
 * `src/a.ts#Foo.bar` (symbol), `src/a.ts` (file), `1a2b3c4` (commit or unique prefix),
 * `1a2b..3c4d` (commits reachable from head and not from base), `pr:12` or `#12` (pull request),
 * `symbol:42` (a symbol by id: works whatever its path holds). A path or name with characters
 * that cannot be typed is written quoted: `"src/a\tb.ts"#render` (see target-quote.ts).
 */
export type MarkTarget =
  | { kind: 'symbol'; file: string; name: string }
  | { kind: 'symbol-id'; id: number }
  | { kind: 'file'; file: string }
  | { kind: 'commit'; sha: string }
  | { kind: 'range'; base: string; head: string }
  | { kind: 'pr'; number: number };

const REV = '[0-9a-f]{4,64}';
const COMMIT_RE = new RegExp(`^${REV}$`, 'i');
const RANGE_RE = new RegExp(`^(${REV})\\.\\.(${REV})$`, 'i');
const PR_RE = /^(?:pr:|#)(\d{1,9})$/i;
const SYMBOL_ID_RE = /^symbol:(\d{1,15})$/i;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
export const MAX_TARGET_LENGTH = 4096;

/** Parses target text; throws GraspError('invalid') when it cannot be a target at all. */
export function parseTarget(text: string): MarkTarget {
  const t = text.trim();
  if (t === '') throw new GraspError('invalid', 'target is empty');
  if (t.length > MAX_TARGET_LENGTH) throw new GraspError('invalid', `target is longer than ${MAX_TARGET_LENGTH} characters`);
  if (CONTROL_RE.test(t)) throw new GraspError('invalid', 'target contains control characters');

  const pr = PR_RE.exec(t);
  if (pr) return { kind: 'pr', number: Number(pr[1]) };
  const symbolId = SYMBOL_ID_RE.exec(t);
  if (symbolId) return { kind: 'symbol-id', id: Number(symbolId[1]) };
  const quoted = readQuoted(t);
  if (quoted) return quotedTarget(t, quoted.value, quoted.rest);
  const range = RANGE_RE.exec(t);
  if (range) return { kind: 'range', base: range[1]!.toLowerCase(), head: range[2]!.toLowerCase() };
  if (COMMIT_RE.test(t)) return { kind: 'commit', sha: t.toLowerCase() };

  const hashAt = t.indexOf('#');
  if (hashAt >= 0) {
    const file = normalizePath(t.slice(0, hashAt));
    const name = unquoteName(t.slice(hashAt + 1).trim());
    if (name === '') throw new GraspError('invalid', `target "${t}" has no symbol name after "#"`);
    return { kind: 'symbol', file, name };
  }
  return { kind: 'file', file: normalizePath(t) };
}

/** A name written quoted (formatTarget quotes names that cannot be printed) is read back; others as they are. */
function unquoteName(text: string): string {
  const q = readQuoted(text);
  return q && q.rest === '' ? q.value : text;
}

/** `"path"`, `"path"#name` or `"path"#"name"`: the quoted form formatTarget writes for unprintable text. */
function quotedTarget(text: string, file: string, rest: string): MarkTarget {
  if (file === '' || file.startsWith('/')) throw new GraspError('invalid', `target "${text}" needs a repository-relative path`);
  if (rest === '') return { kind: 'file', file };
  if (!rest.startsWith('#') || rest.length === 1) throw new GraspError('invalid', `target "${text}": expected #<symbol> after the quoted path`);
  const name = unquoteName(rest.slice(1).trim());
  if (name === '') throw new GraspError('invalid', `target "${text}" has no symbol name after "#"`);
  return { kind: 'symbol', file, name };
}

/** Repository-relative path with forward slashes: strips "./", refuses absolute and empty paths. */
function normalizePath(path: string): string {
  let p = path.trim().replace(/^(\.\/)+/, '');
  if (p === '') throw new GraspError('invalid', 'target has an empty file path');
  if (p.startsWith('/')) throw new GraspError('invalid', `target path "${p}" must be relative to the repository root`);
  // Trailing slashes and the spaces before them (the whole target is trimmed, so a path can't end in a space).
  p = p.replace(/[\s/]+$/, '');
  if (p === '') throw new GraspError('invalid', 'target has an empty file path');
  return p;
}

/** Canonical text of a target (what is stored in marks.target). */
export function formatTarget(target: MarkTarget): string {
  switch (target.kind) {
    case 'symbol':
      return symbolLabel(target);
    case 'symbol-id':
      return `symbol:${target.id}`;
    case 'file':
      return fileLabel(target.file);
    case 'commit':
      return target.sha;
    case 'range':
      return `${target.base}..${target.head}`;
    case 'pr':
      return `pr:${target.number}`;
  }
}

/** `file#name`, or just `file` for a file-granularity item (name ''); quoted where needed, so it parses back. */
export function symbolLabel(item: { file: string; name: string }): string {
  if (item.name === '') return fileLabel(item.file);
  const file = fileLabel(item.file);
  const name = quoteIfNeeded(item.name);
  return `${file}#${name}`;
}

/**
 * A path as a target: quoted when it holds unprintable characters, or when it would otherwise
 * read as another kind of target (a hex commit name, `pr:7`, `symbol:7`, a `#`).
 */
function fileLabel(file: string): string {
  const quoted = quoteIfNeeded(file);
  if (quoted !== file) return quoted;
  if (/^[0-9a-f]{4,64}$/i.test(file) || PR_RE.test(file) || SYMBOL_ID_RE.test(file) || file.includes('#') || RANGE_RE.test(file)) {
    // Not for hex names: the parser already falls back from a commit to a file of that name.
    return /^[0-9a-f]{4,64}$/i.test(file) ? file : JSON.stringify(file);
  }
  // Anything the unquoted reading would change (a trailing `/` it normalizes away, ...) stays quoted.
  return readsBackAsFile(file) ? file : JSON.stringify(file);
}

function readsBackAsFile(file: string): boolean {
  try {
    const back = parseTarget(file);
    return back.kind === 'file' && back.file === file;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Current state

/** One row of mark history (the fields the derivation needs). */
export interface MarkRecord {
  id: number;
  engineerId: number;
  /** A mark covers its own repository's code only. */
  repoId: number;
  /** null for file-granularity marks and for marks whose symbol id is unknown. */
  symbolId: number | null;
  file: string;
  /** '' for a file-granularity mark. */
  name: string;
  hash: string;
  level: MarkLevel;
  createdAt: number;
}

/** A mark row as the checklist's reviewer rules read it (level unchecked: any stored text). */
export interface MarkFact {
  id: number;
  engineerId: number;
  repoId: number;
  symbolId: number | null;
  file: string;
  name: string;
  hash: string;
  level: string;
  createdAt: number;
}

/** A symbol (or a file without symbols, name '') as it is at head, with its current content hash. */
export interface CurrentSymbol {
  /** The repository the symbol lives in: only that repository's marks can cover it. */
  repoId: number;
  id: number | null;
  file: string;
  name: string;
  hash: string;
}

export interface MarkState<M extends MarkRecord = MarkRecord, S extends CurrentSymbol = CurrentSymbol> {
  engineerId: number;
  symbol: S;
  /** Fresh: the latest mark on the current hash. Stale: the latest mark on this symbol's identity. */
  mark: M;
  stale: boolean;
}

function isLater(a: MarkRecord, b: MarkRecord): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
}

function keepLatest<M extends MarkRecord>(index: Map<string, Map<number, M>>, key: string, mark: M): void {
  let byEngineer = index.get(key);
  if (!byEngineer) index.set(key, (byEngineer = new Map()));
  const prev = byEngineer.get(mark.engineerId);
  if (!prev || isLater(mark, prev)) byEngineer.set(mark.engineerId, mark);
}

/**
 * Derives, for every current symbol and every engineer who ever marked it, whether the engineer's
 * understanding is fresh or stale.
 *
 * - fresh: the engineer has a mark on the symbol's current content hash (marks are keyed by
 *   content, so they survive moves, renames, rebases and formatting-only edits); the state's mark
 *   is the latest such mark, so a later write on the same content replaces the level.
 * - stale: no mark on the current hash, but a mark on the same identity (same symbol id, or the
 *   same file + name) on an older hash; the state's mark is the latest of those.
 *
 * Symbols nobody marked produce no state. Output order follows `current`, then engineer id.
 */
export function deriveMarkStates<M extends MarkRecord, S extends CurrentSymbol>(
  marks: readonly M[],
  current: readonly S[],
): MarkState<M, S>[] {
  const byHash = new Map<string, Map<number, M>>();
  const bySymbolId = new Map<string, Map<number, M>>();
  const byFileName = new Map<string, Map<number, M>>();
  // Content hashes and paths repeat across repositories (a vendored helper, `src/index.ts`): keys carry
  // the repository. Symbol ids are unique across repositories.
  for (const m of marks) {
    keepLatest(byHash, `${m.repoId}\u0000${m.hash}`, m);
    if (m.symbolId !== null) keepLatest(bySymbolId, String(m.symbolId), m);
    keepLatest(byFileName, `${m.repoId}\u0000${m.file}\u0000${m.name}`, m);
  }

  const out: MarkState<M, S>[] = [];
  for (const symbol of current) {
    const fresh = byHash.get(`${symbol.repoId}\u0000${symbol.hash}`);
    const identity = new Map<number, M>();
    for (const source of [
      symbol.id !== null ? bySymbolId.get(String(symbol.id)) : undefined,
      byFileName.get(`${symbol.repoId}\u0000${symbol.file}\u0000${symbol.name}`),
    ]) {
      for (const [engineerId, m] of source ?? []) {
        const prev = identity.get(engineerId);
        if (!prev || isLater(m, prev)) identity.set(engineerId, m);
      }
    }
    const engineerIds = new Set([...(fresh?.keys() ?? []), ...identity.keys()]);
    for (const engineerId of [...engineerIds].sort((a, b) => a - b)) {
      const freshMark = fresh?.get(engineerId);
      if (freshMark) out.push({ engineerId, symbol, mark: freshMark, stale: false });
      else out.push({ engineerId, symbol, mark: identity.get(engineerId)!, stale: true });
    }
  }
  return out;
}

/** Each engineer's latest mark per key, at most one per engineer in each list (few engineers mark one symbol). */
interface LatestMarks<M extends MarkRecord> {
  byHash: Map<string, M[]>;
  bySymbolId: Map<number, M[]>;
  byFileName: Map<string, M[]>;
}

function keepLatestIn<K, M extends MarkRecord>(index: Map<K, M[]>, key: K, mark: M): void {
  const list = index.get(key);
  if (!list) {
    index.set(key, [mark]);
    return;
  }
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.engineerId !== mark.engineerId) continue;
    if (isLater(mark, list[i]!)) list[i] = mark;
    return;
  }
  list.push(mark);
}

/**
 * `deriveMarkStates` as of several instants: for each `{ before, current }`, exactly the states
 * `deriveMarkStates` gives for the marks created before `before`, in the same order (property-tested
 * against it in tests/digest/speed-equivalence.test.ts). Built for the digest's million marks: one
 * pass over the marks for every instant, each mark's keys built once, and small per-key lists
 * instead of a Map per key (which made most of the time garbage collection).
 */
export function deriveMarkStatesBefore<M extends MarkRecord, S extends CurrentSymbol>(
  marks: readonly M[],
  at: readonly { before: number; current: readonly S[] }[],
): MarkState<M, S>[][] {
  const indexes: LatestMarks<M>[] = at.map(() => ({ byHash: new Map(), bySymbolId: new Map(), byFileName: new Map() }));
  for (const m of marks) {
    const hashKey = `${m.repoId}\u0000${m.hash}`;
    const nameKey = `${m.repoId}\u0000${m.file}\u0000${m.name}`;
    for (let i = 0; i < at.length; i++) {
      if (m.createdAt >= at[i]!.before) continue;
      const index = indexes[i]!;
      keepLatestIn(index.byHash, hashKey, m);
      if (m.symbolId !== null) keepLatestIn(index.bySymbolId, m.symbolId, m);
      keepLatestIn(index.byFileName, nameKey, m);
    }
  }
  return at.map(({ current }, i) => statesOf(indexes[i]!, current));
}

function statesOf<M extends MarkRecord, S extends CurrentSymbol>({ byHash, bySymbolId, byFileName }: LatestMarks<M>, current: readonly S[]): MarkState<M, S>[] {
  const out: MarkState<M, S>[] = [];
  for (const symbol of current) {
    const fresh = byHash.get(`${symbol.repoId}\u0000${symbol.hash}`);
    const identity = new Map<number, M>();
    for (const source of [symbol.id !== null ? bySymbolId.get(symbol.id) : undefined, byFileName.get(`${symbol.repoId}\u0000${symbol.file}\u0000${symbol.name}`)]) {
      for (const m of source ?? []) {
        const prev = identity.get(m.engineerId);
        if (!prev || isLater(m, prev)) identity.set(m.engineerId, m);
      }
    }
    const freshOf = new Map<number, M>((fresh ?? []).map((m) => [m.engineerId, m]));
    const engineerIds = new Set([...freshOf.keys(), ...identity.keys()]);
    for (const engineerId of [...engineerIds].sort((a, b) => a - b)) {
      const freshMark = freshOf.get(engineerId);
      if (freshMark) out.push({ engineerId, symbol, mark: freshMark, stale: false });
      else out.push({ engineerId, symbol, mark: identity.get(engineerId)!, stale: true });
    }
  }
  return out;
}
