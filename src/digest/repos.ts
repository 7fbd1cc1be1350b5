/**
 * The digest's per-repository rows and their team total: agent share, coverage, debt, new debt
 * and the heaviest items, each computed from the same snapshots and activity as the team figures
 * (one pass that groups by repository; no query per repository).
 */
import { agentWeight, symbolDebt } from '../core/debt.ts';
import type { CommitActivity } from '../db/repo/digest.ts';
import { agentShare, round, type Bounds } from './figures.ts';
import type { Snapshot, SnapshotSymbol } from './snapshot.ts';
import type { DebtItem, RepoDigest, RepoFigures } from './types.ts';
import { groupBy } from '../core/group-by.ts';

export const TOP_REPO_ITEMS = 5;

export interface RepoFiguresInput {
  /** The repositories to list, in order. */
  repos: readonly { id: number; name: string; head: string | null }[];
  atEnd: Snapshot;
  atStart: Snapshot;
  activity: readonly CommitActivity[];
  bounds: Bounds;
}


/** Unrounded sums of one repository's symbols, so the team total is their sum (no second pass). */
interface Sums {
  weight: number;
  understood: number;
  previousWeight: number;
  previousUnderstood: number;
  debt: number;
  added: number;
  addedSymbols: number;
  /** The heaviest indebted symbols, heaviest first, at most TOP_REPO_ITEMS. */
  top: { s: SnapshotSymbol; debt: number }[];
}

const emptySums = (): Sums => ({ weight: 0, understood: 0, previousWeight: 0, previousUnderstood: 0, debt: 0, added: 0, addedSymbols: 0, top: [] });

/** Heaviest first; equal debt by file#symbol, as the digest's other debt lists. */
function heavier(a: SnapshotSymbol, aDebt: number, b: SnapshotSymbol, bDebt: number): boolean {
  if (aDebt !== bDebt) return aDebt > bDebt;
  return `${a.file}#${a.name}`.localeCompare(`${b.file}#${b.name}`) < 0;
}

/** Keeps `top` the few heaviest, sorted: a full sort of every indebted symbol would cost more than the rest. */
function offer(top: Sums['top'], s: SnapshotSymbol, debt: number): void {
  const last = top[top.length - 1];
  if (top.length >= TOP_REPO_ITEMS && !(last && heavier(s, debt, last.s, last.debt))) return;
  let i = top.length;
  while (i > 0 && heavier(s, debt, top[i - 1]!.s, top[i - 1]!.debt)) i--;
  top.splice(i, 0, { s, debt });
  if (top.length > TOP_REPO_ITEMS) top.pop();
}

/** One pass over each snapshot's symbols, summed per repository id. */
function sumsByRepo(input: RepoFiguresInput): Map<number, Sums> {
  const out = new Map<number, Sums>();
  const of = (repoId: number) => {
    let sums = out.get(repoId);
    if (!sums) out.set(repoId, (sums = emptySums()));
    return sums;
  };
  const { atEnd, atStart, bounds } = input;
  for (const s of atEnd.symbols) {
    const sums = of(s.repoId);
    const w = agentWeight(s);
    if (w === 0) continue;
    sums.weight += w;
    const d = symbolDebt(s, atEnd.understanding.get(s.id));
    if (d === 0) {
      sums.understood += w;
      continue;
    }
    sums.debt += d;
    if (s.lastAgentChangeAt !== null && s.lastAgentChangeAt >= bounds.start) {
      sums.added += d;
      sums.addedSymbols += 1;
    }
    offer(sums.top, s, d);
  }
  for (const s of atStart.symbols) {
    const sums = of(s.repoId);
    const w = agentWeight(s);
    sums.previousWeight += w;
    if (w > 0 && (atStart.understanding.get(s.id)?.understoodBy.size ?? 0) > 0) sums.previousUnderstood += w;
  }
  return out;
}

function total(all: Iterable<Sums>): Sums {
  const t = emptySums();
  for (const s of all) {
    t.weight += s.weight;
    t.understood += s.understood;
    t.previousWeight += s.previousWeight;
    t.previousUnderstood += s.previousUnderstood;
    t.debt += s.debt;
    t.added += s.added;
    t.addedSymbols += s.addedSymbols;
    for (const item of s.top) offer(t.top, item.s, item.debt);
  }
  return t;
}

const coverageOf = (weight: number, understood: number) => (weight === 0 ? 1 : round(understood / weight, 4));

function figures(sums: Sums, activity: readonly CommitActivity[], bounds: RepoFiguresInput['bounds']): RepoFigures {
  const { lines, commits } = agentShare(activity, bounds);
  return {
    commits: commits.total,
    agentShare: { lines, commits },
    coverage: {
      value: coverageOf(sums.weight, sums.understood),
      previous: coverageOf(sums.previousWeight, sums.previousUnderstood),
      understoodWeight: round(sums.understood, 1),
      weight: round(sums.weight, 1),
    },
    debt: round(sums.debt, 1),
    debtAdded: { value: round(sums.added, 1), symbols: sums.addedSymbols },
    topItems: sums.top.map(({ s, debt }): DebtItem => ({ symbol: s.name, kind: s.kind, file: s.file, debt: round(debt, 1) })),
  };
}

/** A row per repository (in the given order) and the team total over every symbol and commit. */
export function repoFigures(input: RepoFiguresInput): { repos: RepoDigest[]; totals: RepoFigures } {
  const sums = sumsByRepo(input);
  const activityBy = groupBy(input.activity, (c) => c.repoId);
  return {
    repos: input.repos.map((r) => ({ name: r.name, head: r.head, ...figures(sums.get(r.id) ?? emptySums(), activityBy.get(r.id) ?? [], input.bounds) })),
    totals: figures(total(sums.values()), input.activity, input.bounds),
  };
}
