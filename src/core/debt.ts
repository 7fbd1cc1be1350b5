/**
 * The comprehension-debt model, the pure part: who understands a symbol's current version, how
 * much debt an un-understood symbol carries, and team / personal coverage. No I/O; the report
 * layer (src/report/) loads the inputs. Formulas with worked examples: docs/model.md.
 */
import { isUnderstandingLevel, type MarkLevel } from './marks.ts';

/** The facts about a symbol's current version the model needs. */
export interface DebtSymbol {
  id: number;
  /** The repository it lives in (marks cover it only there). */
  repoId: number;
  file: string;
  name: string;
  hash: string;
  complexity: number;
  /** Lines of the current version written by agents / by people (innermost symbol only). */
  agentLines: number;
  humanLines: number;
  /** Lower-cased author emails of the commits that introduced the current version's lines. */
  authors: readonly string[];
}

/**
 * An engineer's current mark state on a symbol (from `deriveMarkStates` or an equivalent query):
 * the level of the latest mark, and whether it is on an older hash than the symbol's current one.
 */
export interface SymbolMarkState {
  engineerId: number;
  symbolId: number;
  level: MarkLevel;
  stale: boolean;
}

export interface Understanding {
  /** Engineers who understand the current version: fresh mark >= reviewed, or sole non-agent authorship. */
  understoodBy: ReadonlySet<number>;
  /** The engineer who wrote every current line without an agent, if one did. */
  authoredBy: number | null;
  /** Fresh `viewed` marks: shown in reports, not counted as understanding. */
  viewedBy: ReadonlySet<number>;
  /** Engineers whose latest mark (any level) is on an older version. */
  staleBy: ReadonlySet<number>;
  /** Of those, the ones whose stale mark was an understanding level (reviewed / explained). */
  staleUnderstandingBy: ReadonlySet<number>;
}

/**
 * Reading effort per line grows with branching, but sublinearly: a 16-branch function is not 16x
 * harder per line than straight code, and a linear factor would let one giant switch drown out
 * everything else. So the weight is 1 for straight-line code (complexity 1), 2 at 2, 3 at 4, 4 at 8.
 */
export function complexityWeight(complexity: number): number {
  return 1 + Math.log2(Math.max(1, Number.isFinite(complexity) ? complexity : 1));
}

/** Agent-written lines of the current version, weighted by complexity. */
export function agentWeight(s: Pick<DebtSymbol, 'agentLines' | 'complexity'>): number {
  return Math.max(0, s.agentLines) * complexityWeight(s.complexity);
}

/**
 * The engineer who wrote the whole current version without an agent: no agent-written line, at
 * least one human line, and every author email of the current lines is one of that engineer's
 * aliases (one engineer may have several emails). Lines by a bot or by an unlinked email break it.
 */
export function soleHumanAuthor(s: Pick<DebtSymbol, 'agentLines' | 'humanLines' | 'authors'>, emailOwner: ReadonlyMap<string, number>): number | null {
  if (s.agentLines > 0 || s.humanLines <= 0 || s.authors.length === 0) return null;
  let owner: number | null = null;
  for (const email of s.authors) {
    const id = emailOwner.get(email.toLowerCase());
    if (id === undefined || (owner !== null && id !== owner)) return null;
    owner = id;
  }
  return owner;
}

/** Shared by every symbol that has nobody in a list: most symbols, so most lists (never written to). */
const NOBODY: ReadonlySet<number> = new Set<number>();

type ListKey = 'understoodBy' | 'viewedBy' | 'staleBy' | 'staleUnderstandingBy';

function addTo(u: Understanding, key: ListKey, engineerId: number): void {
  if (u[key] === NOBODY) u[key] = new Set([engineerId]);
  else (u[key] as Set<number>).add(engineerId);
}

function without(list: ReadonlySet<number>, ids: ReadonlySet<number>): ReadonlySet<number> {
  if (list === NOBODY || ![...ids].some((id) => list.has(id))) return list;
  const rest = [...list].filter((id) => !ids.has(id));
  return rest.length === 0 ? NOBODY : new Set(rest);
}

/**
 * Who understands each symbol. `states` holds at most one state per (engineer, symbol) — the
 * current one; a fresh `viewed` does not count, a stale mark of any level does not count.
 * `emailOwner` maps lower-cased alias emails to engineer ids.
 */
export function deriveUnderstanding(
  symbols: readonly DebtSymbol[],
  states: readonly SymbolMarkState[],
  emailOwner: ReadonlyMap<string, number>,
): Map<number, Understanding> {
  const out = new Map<number, Understanding>();
  for (const s of symbols) {
    const authoredBy = soleHumanAuthor(s, emailOwner);
    out.set(s.id, {
      understoodBy: authoredBy === null ? NOBODY : new Set([authoredBy]),
      authoredBy,
      viewedBy: NOBODY,
      staleBy: NOBODY,
      staleUnderstandingBy: NOBODY,
    });
  }
  for (const st of states) {
    const u = out.get(st.symbolId);
    if (!u) continue;
    if (st.stale) {
      addTo(u, 'staleBy', st.engineerId);
      if (isUnderstandingLevel(st.level)) addTo(u, 'staleUnderstandingBy', st.engineerId);
    } else if (isUnderstandingLevel(st.level)) {
      addTo(u, 'understoodBy', st.engineerId);
    } else {
      addTo(u, 'viewedBy', st.engineerId);
    }
  }
  // Authorship or a fresh understanding outranks an engineer's view or stale mark in the lists.
  for (const u of out.values()) {
    if (u.understoodBy === NOBODY) continue;
    u.viewedBy = without(u.viewedBy, u.understoodBy);
    u.staleBy = without(u.staleBy, u.understoodBy);
    u.staleUnderstandingBy = without(u.staleUnderstandingBy, u.understoodBy);
  }
  return out;
}

/** Debt of a symbol: its complexity-weighted agent lines when nobody understands it, else 0. */
export function symbolDebt(s: Pick<DebtSymbol, 'agentLines' | 'complexity'>, u: Pick<Understanding, 'understoodBy'> | undefined): number {
  return u && u.understoodBy.size > 0 ? 0 : agentWeight(s);
}

export interface Coverage {
  /** Complexity-weighted agent lines understood (by anyone, or by the given engineer). */
  covered: number;
  total: number;
  /** covered / total; 1 when there is no agent-written code at all (nothing left to understand). */
  ratio: number;
}

/**
 * Share of agent-written, complexity-weighted lines that are understood: by at least one engineer
 * (team coverage, `engineerId` omitted) or by that engineer (personal coverage).
 */
export function coverage(
  symbols: readonly Pick<DebtSymbol, 'id' | 'agentLines' | 'complexity'>[],
  understanding: ReadonlyMap<number, Pick<Understanding, 'understoodBy'>>,
  engineerId?: number,
): Coverage {
  let covered = 0;
  let total = 0;
  for (const s of symbols) {
    const w = agentWeight(s);
    if (w === 0) continue;
    total += w;
    const by = understanding.get(s.id)?.understoodBy;
    if (by && (engineerId === undefined ? by.size > 0 : by.has(engineerId))) covered += w;
  }
  return { covered, total, ratio: total === 0 ? 1 : covered / total };
}

/** Total debt of the given symbols. */
export function totalDebt(
  symbols: readonly Pick<DebtSymbol, 'id' | 'agentLines' | 'complexity'>[],
  understanding: ReadonlyMap<number, Pick<Understanding, 'understoodBy'>>,
): number {
  let sum = 0;
  for (const s of symbols) sum += symbolDebt(s, understanding.get(s.id));
  return sum;
}
