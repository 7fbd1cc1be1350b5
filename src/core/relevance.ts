/**
 * Relevance of code to one engineer, the pure part: how much a symbol's place in the ranking is
 * boosted because it sits in the engineer's area. The report's score is the symbol's weight times
 * this boost. Formulas with worked examples: docs/model.md.
 *
 * References are approximated by names, not resolved with a type checker: a symbol "calls" one of
 * the engineer's recently changed symbols when that symbol's simple name appears as a whole
 * identifier in its text (comments removed), and vice versa. This over-matches common names
 * (hence the minimum length and the stop list) and misses calls through aliases; it needs nothing
 * but the stored symbol texts, so it also runs on Workers.
 */
import { directoryOf } from './hotspots.ts';

export const RELEVANCE_WINDOW_DAYS = 90;

/** Added to a base boost of 1, once per kind of signal. */
export const BOOST = {
  /** The engineer committed changes to this file recently. */
  ownFile: 2,
  /** ... or to another file in the same directory (not added on top of ownFile). */
  ownDirectory: 1,
  /** The engineer committed some of the current lines (with an agent: otherwise there would be no debt). */
  ownLines: 2,
  /** The symbol calls, or is called by, one of the engineer's recently changed symbols. */
  reference: 1,
  /** The file is in a pull request awaiting the engineer's review. */
  reviewRequested: 3,
  /** The file is in a pull request the engineer reviewed. */
  reviewer: 1.5,
  /** The engineer understood an earlier version: their mark is stale. */
  staleMark: 1,
} as const;

/** A path in one repository: the same path in two repositories is two places. */
export const placeKey = (repoId: number, path: string): string => `${repoId}\u0000${path}`;

export function splitPlaceKey(key: string): { repoId: number; path: string } {
  const at = key.indexOf('\u0000');
  return { repoId: Number(key.slice(0, at)), path: key.slice(at + 1) };
}

export interface PrLink {
  number: number;
  role: 'requested' | 'reviewer';
}

export interface RelevanceContext {
  /** placeKey(repository, file) -> number of the engineer's recent commits touching it. */
  files: ReadonlyMap<string, number>;
  /** placeKey(repository, directory) -> number of the engineer's recent commits touching a file directly inside it. */
  directories: ReadonlyMap<string, number>;
  /** The engineer's lower-cased alias emails. */
  emails: ReadonlySet<string>;
  /** Symbol id -> names of the engineer's recently changed symbols that it mentions. */
  calls: ReadonlyMap<number, readonly string[]>;
  /** Symbol id -> names of the engineer's recently changed symbols that mention it. */
  calledBy: ReadonlyMap<number, readonly string[]>;
  /** placeKey(repository, file) -> pull requests touching it where the engineer is a requested reviewer or a reviewer. */
  pullRequests: ReadonlyMap<string, readonly PrLink[]>;
  /** Symbols on which the engineer's latest mark is on an older version. */
  staleMarks: ReadonlySet<number>;
  windowDays: number;
}

export interface Relevance {
  /** >= 1; multiplies the symbol's weight in the ranking. */
  boost: number;
  /** The symbol belongs to the engineer's area (every signal but references). */
  inArea: boolean;
  reasons: string[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const listNames = (names: readonly string[]) => names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');

const NO_REASONS: readonly string[] = Object.freeze([]);

/**
 * The boost, whether the symbol is in the engineer's area, and (unless `withReasons` is false:
 * ranking thousands of symbols needs no sentences) why, in words.
 */
export function relevanceOf(symbol: { id: number; repoId: number; file: string; authors: readonly string[] }, ctx: RelevanceContext, withReasons = true): Relevance {
  let boost = 1;
  let inArea = false;
  const reasons: string[] = [];
  const say = (text: () => string) => {
    if (withReasons) reasons.push(text());
  };
  const fileCommits = ctx.files.get(placeKey(symbol.repoId, symbol.file)) ?? 0;
  if (fileCommits > 0) {
    boost += BOOST.ownFile;
    inArea = true;
    say(() => `you changed this file in ${plural(fileCommits, 'commit')} in the last ${ctx.windowDays} days`);
  } else if (ctx.directories.size > 0) {
    const dir = directoryOf(symbol.file);
    if ((ctx.directories.get(placeKey(symbol.repoId, dir)) ?? 0) > 0) {
      boost += BOOST.ownDirectory;
      inArea = true;
      say(() => `you changed files in ${dir === '.' ? 'the repository root' : dir} in the last ${ctx.windowDays} days`);
    }
  }
  if (ctx.emails.size > 0 && symbol.authors.some((e) => ctx.emails.has(e.toLowerCase()))) {
    boost += BOOST.ownLines;
    inArea = true;
    say(() => 'you committed some of its current lines');
  }
  const calls = ctx.calls.get(symbol.id);
  const calledBy = ctx.calledBy.get(symbol.id);
  if ((calls?.length ?? 0) > 0 || (calledBy?.length ?? 0) > 0) {
    boost += BOOST.reference;
    if (calls?.length) say(() => `uses your recent change to ${listNames(calls)}`);
    if (calledBy?.length) say(() => `used by your recent change to ${listNames(calledBy)}`);
  }
  const prs = ctx.pullRequests.get(placeKey(symbol.repoId, symbol.file));
  if (prs) {
    const requested = prs.filter((p) => p.role === 'requested').map((p) => p.number);
    const reviewed = prs.filter((p) => p.role === 'reviewer' && !requested.includes(p.number)).map((p) => p.number);
    if (requested.length > 0) {
      boost += BOOST.reviewRequested;
      inArea = true;
      say(() => `your review is requested on ${requested.map((n) => `PR #${n}`).join(', ')}`);
    }
    if (reviewed.length > 0) {
      boost += BOOST.reviewer;
      inArea = true;
      say(() => `you review ${reviewed.map((n) => `PR #${n}`).join(', ')}`);
    }
  }
  if (ctx.staleMarks.has(symbol.id)) {
    boost += BOOST.staleMark;
    inArea = true;
  }
  return { boost, inArea, reasons: withReasons ? reasons : (NO_REASONS as string[]) };
}

// ---------------------------------------------------------------------------------------------
// Name-based references

/** Names too generic to link two symbols (builtin members, framework conventions). */
const GENERIC_NAMES = new Set([
  'constructor', 'default', 'toString', 'valueOf', 'toJSON', 'length', 'name', 'then', 'call', 'apply', 'bind',
  'get', 'set', 'has', 'add', 'map', 'run', 'push', 'pop', 'key', 'keys', 'value', 'values', 'data', 'init',
  'next', 'done', 'size', 'from', 'type', 'props', 'state', 'render', 'handle', 'handler', 'create', 'update',
  'delete', 'remove', 'clear', 'close', 'open', 'start', 'stop', 'test', 'main', 'index', 'error', 'result',
]);

/**
 * The name other code uses to refer to a symbol: the last segment of its qualified name without
 * accessor / overload suffixes ('Cache.get' -> 'get', 'Cache.size:get' -> 'size', 'f#2' -> 'f').
 * null for names too short or too generic to be told apart from other code, and for '(module)'.
 */
export function referenceName(qualified: string): string | null {
  const last = qualified.split('.').pop() ?? '';
  const bare = last.replace(/[:#].*$/, '');
  if (bare.length < 3 || !/^[A-Za-z_$][\w$]*$/.test(bare) || GENERIC_NAMES.has(bare)) return null;
  return bare;
}

const escapeRegExp = (text: string) => text.replace(/[$]/g, '\\$&');

const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
/** `import ... from '...'` and `export ... from '...'`: naming a symbol there is not using it. */
const MODULE_LINKS = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*(?:'[^']*'|"[^"]*")\s*;?|^\s*import\s*(?:'[^']*'|"[^"]*")\s*;?/gm;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** Whole identifiers in code text, comments and import / re-export declarations removed (strings are kept: an approximation). */
export function identifiersIn(text: string): Set<string> {
  let code = text.includes('/') ? text.replace(COMMENTS, ' ') : text;
  if (code.includes('import') || code.includes('from')) code = code.replace(MODULE_LINKS, ' ');
  return new Set(code.match(IDENTIFIER) ?? []);
}

export interface ReferenceSource {
  id: number;
  /** Qualified name. */
  name: string;
  /** Current text; null when not stored. */
  text: string | null;
}

/**
 * Links between the engineer's recently changed symbols (`mine`) and `candidates`:
 * calls = candidate id -> names of mine it mentions; calledBy = candidate id -> names of mine that mention it.
 * A symbol is never linked to itself.
 */
export function findReferences(
  mine: readonly ReferenceSource[],
  candidates: readonly ReferenceSource[],
): { calls: Map<number, string[]>; calledBy: Map<number, string[]> } {
  const calls = new Map<number, string[]>();
  const calledBy = new Map<number, string[]>();
  // Two indexes built once, so each candidate costs one scan of its own text and one lookup.
  const mineByRef = new Map<string, ReferenceSource[]>();
  const mentionedBy = new Map<string, ReferenceSource[]>();
  for (const m of mine) {
    const ref = referenceName(m.name);
    if (ref !== null) mineByRef.set(ref, [...(mineByRef.get(ref) ?? []), m]);
    for (const id of m.text === null ? [] : identifiersIn(m.text)) {
      const list = mentionedBy.get(id);
      if (list) list.push(m);
      else mentionedBy.set(id, [m]);
    }
  }
  const names = (list: Iterable<ReferenceSource>, self: number) => {
    const out = new Set<string>();
    for (const m of list) if (m.id !== self) out.add(m.name);
    return [...out].sort();
  };
  // A necessary condition for a mention, as IDENTIFIER tokenizes: most candidates mention none of
  // mine's names and then need no identifier scan (stripping comments and imports only removes identifiers).
  const mentionsMine = mineByRef.size === 0 ? null : new RegExp(`(?<![A-Za-z_$])(?:${[...mineByRef.keys()].map(escapeRegExp).join('|')})(?![\\w$])`);
  for (const c of candidates) {
    if (c.text !== null && mentionsMine !== null && mentionsMine.test(c.text)) {
      const hits: ReferenceSource[] = [];
      for (const id of identifiersIn(c.text)) hits.push(...(mineByRef.get(id) ?? []));
      const list = names(hits, c.id);
      if (list.length > 0) calls.set(c.id, list);
    }
    const ref = referenceName(c.name);
    const callers = ref === null ? undefined : mentionedBy.get(ref);
    if (callers) {
      const list = names(callers, c.id);
      if (list.length > 0) calledBy.set(c.id, list);
    }
  }
  return { calls, calledBy };
}

// ---------------------------------------------------------------------------------------------
// Ranking

/** When a colleague already understands the code, learning it costs a conversation, not a cold read. */
export const ASK_A_COLLEAGUE_FACTOR = 0.25;

/**
 * Rank of a symbol in an engineer's report: its complexity-weighted agent lines, times the
 * relevance boost; for code that someone else understands (debt 0, "ask them") a quarter of that.
 * For code nobody understands this is exactly debt x boost.
 */
export function reportScore(agentWeight: number, othersUnderstand: boolean, boost: number): number {
  return agentWeight * (othersUnderstand ? ASK_A_COLLEAGUE_FACTOR : 1) * Math.max(1, boost);
}
