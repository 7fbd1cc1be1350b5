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

export const TOP_REPO_ITEMS = 5;

export interface RepoFiguresInput {
  /** The repositories to list, in order. */
  repos: readonly { id: number; name: string; head: string | null }[];
  atEnd: Snapshot;
  atStart: Snapshot;
  activity: readonly CommitActivity[];
  bounds: Bounds;
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function weights(symbols: readonly SnapshotSymbol[], snap: Snapshot): { weight: number; understood: number } {
  let weight = 0;
  let understood = 0;
  for (const s of symbols) {
    const w = agentWeight(s);
    weight += w;
    if ((snap.understanding.get(s.id)?.understoodBy.size ?? 0) > 0) understood += w;
  }
  return { weight, understood };
}

/** The figures of one set of symbols and commits (a repository's, or all of them for the total). */
function figures(end: readonly SnapshotSymbol[], start: readonly SnapshotSymbol[], activity: readonly CommitActivity[], input: RepoFiguresInput): RepoFigures {
  const { atEnd, atStart, bounds } = input;
  const now = weights(end, atEnd);
  const before = weights(start, atStart);
  const ratioOf = (w: { weight: number; understood: number }) => (w.weight === 0 ? 1 : round(w.understood / w.weight, 4));
  const indebted: (DebtItem & { fresh: boolean })[] = [];
  for (const s of end) {
    const debt = symbolDebt(s, atEnd.understanding.get(s.id));
    if (debt > 0) indebted.push({ symbol: s.name, kind: s.kind, file: s.file, debt, fresh: s.lastAgentChangeAt !== null && s.lastAgentChangeAt >= bounds.start });
  }
  const added = indebted.filter((i) => i.fresh);
  const { lines, commits } = agentShare(activity, bounds);
  return {
    commits: commits.total,
    agentShare: { lines, commits },
    coverage: { value: ratioOf(now), previous: ratioOf(before), understoodWeight: round(now.understood, 1), weight: round(now.weight, 1) },
    debt: round(indebted.reduce((n, i) => n + i.debt, 0), 1),
    debtAdded: { value: round(added.reduce((n, i) => n + i.debt, 0), 1), symbols: added.length },
    topItems: indebted
      .sort((a, b) => b.debt - a.debt || `${a.file}#${a.symbol}`.localeCompare(`${b.file}#${b.symbol}`))
      .slice(0, TOP_REPO_ITEMS)
      .map(({ fresh: _fresh, ...i }) => ({ ...i, debt: round(i.debt, 1) })),
  };
}

/** A row per repository (in the given order) and the team total over every symbol and commit. */
export function repoFigures(input: RepoFiguresInput): { repos: RepoDigest[]; totals: RepoFigures } {
  const endBy = groupBy(input.atEnd.symbols, (s) => s.repoId);
  const startBy = groupBy(input.atStart.symbols, (s) => s.repoId);
  const activityBy = groupBy(input.activity, (c) => c.repoId);
  return {
    repos: input.repos.map((r) => ({
      name: r.name,
      head: r.head,
      ...figures(endBy.get(r.id) ?? [], startBy.get(r.id) ?? [], activityBy.get(r.id) ?? [], input),
    })),
    totals: figures(input.atEnd.symbols, input.atStart.symbols, input.activity, input),
  };
}
