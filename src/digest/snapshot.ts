/**
 * The state of the code and of its understanding as of an instant in the past, rebuilt from the
 * append-only history (symbol_changes, marks), so the digest can compare weeks.
 *
 * Approximations (documented in the README):
 * - A symbol's version at instant T is its latest change (in ingest order) among commits authored
 *   before T; a `deleted` change ends it.
 * - Agent / human lines of a past version are estimated: the change's own added lines keep their
 *   origin, and the version's remaining lines carry over the previous version's agent/human mix.
 *   When the version is still the one at head, the exact head figures are used instead.
 * - Understanding at T uses only marks created before T, with the same rules as the report
 *   (src/core/debt.ts): a fresh mark >= reviewed on the version's hash, or sole human authorship.
 */
import { deriveUnderstanding, type DebtSymbol, type SymbolMarkState, type Understanding } from '../core/debt.ts';
import type { ChangeBucket } from '../core/hotspots.ts';
import { deriveMarkStatesBefore } from '../core/marks.ts';
import type { HeadSymbolRow, MarkRow, VersionRow } from '../db/repo/digest.ts';

export interface SnapshotSymbol extends DebtSymbol {
  kind: string;
  startLine: number;
  endLine: number;
  changes: ChangeBucket[];
  /** Latest change since the symbol (re)appeared that added agent-written lines; null if none. */
  lastAgentChangeAt: number | null;
}

export interface Snapshot {
  /** Exclusive: history and marks strictly before this instant (epoch seconds). */
  at: number;
  symbols: SnapshotSymbol[];
  understanding: Map<number, Understanding>;
}

/** Versions grouped per symbol id, each list in ingest order. */
export type VersionIndex = Map<number, VersionRow[]>;

export function indexVersions(versions: readonly VersionRow[]): VersionIndex {
  const out: VersionIndex = new Map();
  for (const v of versions) {
    const list = out.get(v.symbolId);
    if (list) list.push(v);
    else out.set(v.symbolId, [v]);
  }
  for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
  return out;
}

function parseAuthors(json: string): string[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string').map((e) => e.toLowerCase()) : [];
  } catch {
    return [];
  }
}

/** One symbol's history replayed change by change (ingest order): the state after the changes fed so far. */
class Replay {
  private current: SnapshotSymbol | null = null;
  private authors = new Set<string>();
  private lastAgentChangeAt: number | null = null;
  private readonly changes: ChangeBucket[] = [];

  step(v: VersionRow): void {
    if (v.change === 'deleted' || v.hash === null) {
      this.current = null;
      this.authors = new Set();
      this.changes.length = 0;
      this.lastAgentChangeAt = null;
      return;
    }
    const current = this.current;
    this.changes.push({ at: v.at, count: 1 });
    const length = Math.max(1, v.endLine - v.startLine + 1);
    const added = Math.max(0, v.agentLines) + Math.max(0, v.humanLines);
    // A first version is exactly its added lines; later ones carry the rest over in the old mix.
    const prevTotal: number = current ? current.agentLines + current.humanLines : 0;
    const carried = prevTotal > 0 ? Math.max(0, Math.min(prevTotal, length - added)) : 0;
    const carriedAgent: number = prevTotal > 0 ? (carried * current!.agentLines) / prevTotal : 0;
    if (added >= length) this.authors = new Set();
    if (added > 0) this.authors.add(v.authorEmail);
    if (v.agentLines > 0) this.lastAgentChangeAt = v.at;
    this.current = {
      id: v.symbolId,
      repoId: v.repoId,
      file: v.file,
      name: v.name,
      kind: v.kind,
      hash: v.hash,
      startLine: v.startLine,
      endLine: v.endLine,
      complexity: v.complexity,
      agentLines: Math.round(Math.max(0, v.agentLines) + carriedAgent),
      humanLines: Math.round(Math.max(0, v.humanLines) + (carried - carriedAgent)),
      authors: [...this.authors],
      changes: this.changes,
      lastAgentChangeAt: this.lastAgentChangeAt,
    };
  }

  /** The symbol as of now (a new object: replaying on does not touch it); null when it does not exist. */
  result(head: HeadSymbolRow | undefined): SnapshotSymbol | null {
    if (!this.current) return null;
    const out: SnapshotSymbol = { ...this.current, changes: [...this.changes] };
    // Still the version at head: its exact figures instead of the estimate.
    if (head && head.alive && head.hash === out.hash) {
      out.agentLines = head.agentLines;
      out.humanLines = head.humanLines;
      out.authors = parseAuthors(head.authors);
    }
    return out;
  }
}

/** Replays one symbol's changes before `at`; null when it did not exist then. */
function versionAt(list: readonly VersionRow[], at: number, head: HeadSymbolRow | undefined): SnapshotSymbol | null {
  const replay = new Replay();
  for (const v of list) if (v.at < at) replay.step(v);
  return replay.result(head);
}

/**
 * `versionAt` at every instant of `ascending` (non-decreasing), from one replay when the symbol's
 * author dates grow with ingest order (then the changes before each instant are a prefix of the
 * list). Otherwise (a rebase, a backdated commit) each instant is replayed on its own.
 */
function versionsAtEach(list: readonly VersionRow[], ascending: readonly number[], head: HeadSymbolRow | undefined): (SnapshotSymbol | null)[] {
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.at < list[i - 1]!.at) return ascending.map((at) => versionAt(list, at, head));
  }
  const out: (SnapshotSymbol | null)[] = [];
  const replay = new Replay();
  let next = 0;
  for (const at of ascending) {
    while (next < list.length && list[next]!.at < at) replay.step(list[next++]!);
    out.push(replay.result(head));
  }
  return out;
}

/** The symbols alive before `at`, with their estimated versions. */
export function symbolsAt(index: VersionIndex, head: ReadonlyMap<number, HeadSymbolRow>, at: number): SnapshotSymbol[] {
  return symbolsAtEach(index, head, [at])[0]!;
}

/** `symbolsAt` for each instant (non-decreasing), in one pass over the history. */
export function symbolsAtEach(index: VersionIndex, head: ReadonlyMap<number, HeadSymbolRow>, ascending: readonly number[]): SnapshotSymbol[][] {
  for (let i = 1; i < ascending.length; i++) if (ascending[i]! < ascending[i - 1]!) throw new Error('symbolsAtEach: instants must not decrease');
  const out: SnapshotSymbol[][] = ascending.map(() => []);
  for (const [id, list] of index) {
    const versions = versionsAtEach(list, ascending, head.get(id));
    for (let i = 0; i < versions.length; i++) if (versions[i]) out[i]!.push(versions[i]!);
  }
  return out;
}

/** Everything the snapshots are computed from, indexed once. */
export interface History {
  index: VersionIndex;
  head: ReadonlyMap<number, HeadSymbolRow>;
  marks: readonly MarkRow[];
  /** Marks per repository and content hash (`markKey`), oldest first. */
  marksByHash: ReadonlyMap<string, readonly MarkRow[]>;
  emailOwner: ReadonlyMap<string, number>;
}

/**
 * The key of `History.marksByHash`: a mark covers a version of its own repository only, so an
 * identical function in another repository (same content hash) stays un-understood.
 */
export const markKey = (repoId: number, hash: string): string => `${repoId}\u0000${hash}`;

const isLater = (a: MarkRow, b: MarkRow) => (a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id);

export function indexHistory(versions: readonly VersionRow[], head: readonly HeadSymbolRow[], marks: readonly MarkRow[], emailOwner: ReadonlyMap<string, number>): History {
  const marksByHash = new Map<string, MarkRow[]>();
  for (const m of marks) {
    const key = markKey(m.repoId, m.hash);
    const list = marksByHash.get(key);
    if (list) list.push(m);
    else marksByHash.set(key, [m]);
  }
  for (const list of marksByHash.values()) list.sort((a, b) => (isLater(a, b) ? 1 : -1));
  return { index: indexVersions(versions), head: new Map(head.map((h) => [h.id, h])), marks, marksByHash, emailOwner };
}

/**
 * Fresh states only: each engineer's latest mark before `at` on the symbol's current hash (what
 * `deriveMarkStates` calls fresh). Enough for coverage; far cheaper than the full derivation.
 */
function freshStates(symbols: readonly SnapshotSymbol[], marksByHash: History['marksByHash'], at: number): SymbolMarkState[] {
  const out: SymbolMarkState[] = [];
  for (const s of symbols) {
    const latest = new Map<number, MarkRow>();
    for (const m of marksByHash.get(markKey(s.repoId, s.hash)) ?? []) {
      if (m.createdAt >= at) break; // oldest first
      latest.set(m.engineerId, m);
    }
    for (const m of latest.values()) out.push({ engineerId: m.engineerId, symbolId: s.id, level: m.level, stale: false });
  }
  return out;
}

/**
 * Who understood what before `at`, from the marks written before then. `withStale` also derives
 * stale marks (needed for islands, stale areas and per-engineer stale counts, not for coverage).
 */
export function takeSnapshot(history: History, at: number, opts: { withStale: boolean }): Snapshot {
  return takeSnapshots(history, [at], () => opts.withStale)[0]!;
}

/**
 * `takeSnapshot` at each instant (non-decreasing): the symbols of all of them replayed in one pass,
 * and the stale marks of those `withStale(i)` asks for derived in one pass over the marks.
 */
export function takeSnapshots(history: History, ascending: readonly number[], withStale: (i: number) => boolean): Snapshot[] {
  const symbols = symbolsAtEach(history.index, history.head, ascending);
  const staleAt = ascending.flatMap((at, i) => (withStale(i) ? [i] : []));
  const derived = deriveMarkStatesBefore(history.marks, staleAt.map((i) => ({ before: ascending[i]!, current: symbols[i]! })));
  const fullStates = new Map(staleAt.map((i, k) => [i, derived[k]!]));
  return ascending.map((at, i) => {
    const full = fullStates.get(i);
    const states: SymbolMarkState[] = full
      ? full.map((s) => ({ engineerId: s.engineerId, symbolId: s.symbol.id, level: s.mark.level, stale: s.stale }))
      : freshStates(symbols[i]!, history.marksByHash, at);
    return { at, symbols: symbols[i]!, understanding: deriveUnderstanding(symbols[i]!, states, history.emailOwner) };
  });
}
