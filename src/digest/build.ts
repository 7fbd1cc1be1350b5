/**
 * The weekly digest: what agents wrote this week against last week, how much comprehension debt
 * came and went, team coverage over 8 weeks, hotspots, new knowledge islands, rubber stamps,
 * per-engineer marks and coverage, stale areas, unlinked authors. Definitions: README "Weekly digest".
 *
 * Weeks are ISO weeks in UTC. "At the end of a week" means before the next Monday 00:00 UTC, or
 * now for the week in progress. Called by `grasp digest`, `GET /api/digest`, the /digest page and
 * the Worker's Cron Trigger, so it only reads the database (no git, no Node APIs).
 */
import { agentWeight, coverage, symbolDebt } from '../core/debt.ts';
import { GraspError } from '../core/errors.ts';
import { rankHotspots } from '../core/hotspots.ts';
import { findIslands, type Islands } from '../core/islands.ts';
import { isUnderstandingLevel } from '../core/marks.ts';
import { addWeeks, formatWeek, parseWeek, weekBounds, weekOf, weeksEndingWith, type IsoWeek } from '../core/weeks.ts';
import type { Store } from '../db/store.ts';
import { loadScorecards } from '../desk/agents-load.ts';
import { listRepos } from '../db/repo/repos.ts';
import { narrowedRepo } from '../db/repo/report.ts';
import { loadDigestInputs, type DigestInputs, type MarkRow } from '../db/repo/digest.ts';
import { indexHistory, markKey, takeSnapshots, type Snapshot } from './snapshot.ts';
import { staleUnderstanding } from './stale.ts';
import { agentShare, round, type Bounds } from './figures.ts';
import { repoFigures } from './repos.ts';
import type { DebtFlow, DebtItem, Digest, DigestIsland, EngineerWeek } from './types.ts';

export const TREND_WEEKS = 8;
export const TOP_HOTSPOTS = 10;
const TOP_DEBT_ITEMS = 10;
const TOP_ISLANDS = 20;
const TOP_STALE_AREAS = 10;

export interface BuildDigestOptions {
  /** ISO week such as "2026-W47"; default: the week holding `now`. */
  week?: string;
  /** Clock in epoch milliseconds (default Date.now()). */
  now?: number;
}

const iso = (sec: number): string => new Date(sec * 1000).toISOString();

/** The week to report: the given one, or the current week; weeks that have not begun are refused. */
export function resolveWeek(week: string | undefined, nowSec: number): IsoWeek {
  const w = week === undefined ? weekOf(nowSec) : parseWeek(week);
  if (weekBounds(w).start > nowSec) {
    throw new GraspError('invalid', `week ${formatWeek(w)} has not started yet (the current week is ${formatWeek(weekOf(nowSec))})`);
  }
  return w;
}

export async function buildDigest(store: Store, opts: BuildDigestOptions = {}): Promise<Digest> {
  const nowSec = Math.floor((opts.now ?? Date.now()) / 1000);
  const week = resolveWeek(opts.week, nowSec);
  const previous = addWeeks(week, -1);
  const { start, end } = weekBounds(week);
  const prevStart = weekBounds(previous).start;
  // Marks and commits up to and including the current second belong to a week in progress.
  const cutoff = (w: IsoWeek) => Math.min(weekBounds(w).end, nowSec + 1);

  const inputs = await loadDigestInputs(store, { activityFrom: prevStart, until: cutoff(week) });
  const history = indexHistory(inputs.versions, inputs.head, inputs.marks, inputs.emailOwner);
  const trendWeeks = weeksEndingWith(week, TREND_WEEKS);
  // Stale marks matter only at the two ends of the compared weeks; the trend needs coverage alone.
  const snapshots = takeSnapshots(history, trendWeeks.map(cutoff), (i) => i >= TREND_WEEKS - 2);
  const atEnd = snapshots[TREND_WEEKS - 1]!;
  const atStart = snapshots[TREND_WEEKS - 2]!;
  const handleOf = new Map(inputs.engineers.map((e) => [e.id, e.handle]));
  const handle = (id: number) => handleOf.get(id) ?? `#${id}`;

  const added = debtAdded(atEnd, start);
  const addedBefore = debtAdded(atStart, prevStart);
  const paid = debtPaid(atEnd, start, history.marksByHash, handle);
  const paidBefore = debtPaid(atStart, prevStart, history.marksByHash, handle);
  const islandsEnd = islandsOf(atEnd);
  const islandsStart = islandsOf(atStart);
  const weekEnd = cutoff(week);
  const cards = await loadScorecards(store, { since: weekEnd - SCORECARD_DAYS * 86_400, now: weekEnd * 1000 });
  const wentStale = await staleUnderstanding(store, { start, end });
  const narrowed = narrowedRepo(store);
  const tracked = (await listRepos(store)).filter((r) => narrowed === undefined || r.id === narrowed);
  const perRepo = repoFigures({ repos: tracked, atEnd, atStart, activity: inputs.activity, bounds: { prevStart, start, end } });

  return {
    week: formatWeek(week),
    previousWeek: formatWeek(previous),
    agentShare: agentShare(inputs.activity, { prevStart, start, end }),
    debtAdded: flow(added, addedBefore),
    debtPaid: flow(paid, paidBefore),
    coverage: { value: round(coverage(atEnd.symbols, atEnd.understanding).ratio, 4), previous: round(coverage(atStart.symbols, atStart.understanding).ratio, 4) },
    coverageTrend: trendWeeks.map((w, i) => ({ week: formatWeek(w), coverage: round(coverage(snapshots[i]!.symbols, snapshots[i]!.understanding).ratio, 4) })),
    hotspots: hotspots(atEnd),
    islands: newIslands(islandsEnd, islandsStart, handle),
    rubberStamps: inputs.rubberStamps
      .filter((r) => r.submittedAt !== null && r.submittedAt >= start && r.submittedAt < end)
      .map((r) => ({ pr: r.number, title: r.title ?? '', reviewer: r.authorLogin, submittedAt: r.submittedAt === null ? null : iso(r.submittedAt), reason: r.rubberStampReason })),
    engineers: engineerWeeks(inputs, atEnd, atStart, { prevStart, start, end }),
    unlinkedAuthors: inputs.unlinked.map((u) => ({ email: u.email, name: u.name, commits: u.commits, lastCommitAt: iso(u.lastCommitAt) })),
    staleAreas: islandsEnd.staleOnlyDirectories.slice(0, TOP_STALE_AREAS).map((d) => ({
      directory: d.directory,
      engineers: d.staleEngineerIds.map(handle),
      symbols: d.symbols,
      weight: round(d.weight, 1),
    })),
    staleUnderstanding: wentStale,
    agentScorecard: cards.agents.map((a) => ({
      agent: a.agent,
      commits: a.commits,
      agentLines: a.agentLines,
      churn30d: a.churn30d === null ? null : round(a.churn30d, 4),
      reverts: a.reverts,
      coverage: a.coverage === null ? null : round(a.coverage, 4),
      depth: a.depth,
      reasons: a.reasons,
    })),
    repos: perRepo.repos,
    totals: perRepo.totals,
  };
}

/** The scorecard in the digest looks back this far from the week's end. */
const SCORECARD_DAYS = 90;

/** Debt of the versions agents wrote in [weekStart, snapshot) that nobody understands at the snapshot. */
function debtAdded(snap: Snapshot, weekStart: number): DebtItem[] {
  const items: DebtItem[] = [];
  for (const s of snap.symbols) {
    if (s.lastAgentChangeAt === null || s.lastAgentChangeAt < weekStart) continue;
    const debt = symbolDebt(s, snap.understanding.get(s.id));
    if (debt > 0) items.push({ symbol: s.name, kind: s.kind, file: s.file, debt });
  }
  return items;
}

/**
 * Debt paid: agent-written versions understood at the snapshot whose hash got its first
 * understanding mark (reviewed / explained, by anyone) in [weekStart, snapshot).
 */
function debtPaid(snap: Snapshot, weekStart: number, marksByHash: ReadonlyMap<string, readonly MarkRow[]>, handle: (id: number) => string): DebtItem[] {
  const items: DebtItem[] = [];
  for (const s of snap.symbols) {
    const weight = agentWeight(s);
    const u = snap.understanding.get(s.id);
    if (weight === 0 || !u || u.understoodBy.size === 0) continue;
    const understandingMarks = (marksByHash.get(markKey(s.repoId, s.hash)) ?? []).filter((m) => isUnderstandingLevel(m.level) && m.createdAt < snap.at);
    if (understandingMarks.length === 0 || understandingMarks.some((m) => m.createdAt < weekStart)) continue;
    const by = [...new Set(understandingMarks.filter((m) => u.understoodBy.has(m.engineerId)).map((m) => handle(m.engineerId)))].sort();
    items.push({ symbol: s.name, kind: s.kind, file: s.file, debt: weight, by });
  }
  return items;
}

function flow(items: DebtItem[], previous: DebtItem[]): DebtFlow {
  const total = (list: DebtItem[]) => round(list.reduce((n, i) => n + i.debt, 0), 1);
  const top = [...items]
    .sort((a, b) => b.debt - a.debt || `${a.file}#${a.symbol}`.localeCompare(`${b.file}#${b.symbol}`))
    .slice(0, TOP_DEBT_ITEMS)
    .map((i) => ({ ...i, debt: round(i.debt, 1) }));
  return { value: total(items), previous: total(previous), symbols: items.length, items: top };
}

function hotspots(snap: Snapshot): Digest['hotspots'] {
  const inputs = snap.symbols.map((s) => ({ ...s, understood: (snap.understanding.get(s.id)?.understoodBy.size ?? 0) > 0 }));
  return rankHotspots(inputs, { now: snap.at, limit: TOP_HOTSPOTS }).symbols.map((h) => ({
    symbol: h.name,
    kind: h.kind,
    file: h.file,
    startLine: h.startLine,
    endLine: h.endLine,
    score: round(h.score, 2),
    frequency: round(h.frequency, 2),
    complexity: h.complexity,
    agentShare: round(h.agentShare, 4),
    coverage: h.coverage,
  }));
}

function islandsOf(snap: Snapshot): Islands {
  return findIslands(snap.symbols, snap.understanding);
}

/** Islands at the end of the week that were not islands (of the same engineer) a week before. */
function newIslands(now: Islands, before: Islands, handle: (id: number) => string): DigestIsland[] {
  const hadSymbol = new Set(before.symbols.map((s) => `${s.id}:${s.engineerId}`));
  const hadDirectory = new Set(before.directories.map((d) => `${d.directory}\u0000${d.engineerId}`));
  const directories: DigestIsland[] = now.directories
    .filter((d) => !hadDirectory.has(`${d.directory}\u0000${d.engineerId}`))
    .map((d) => ({
      scope: 'directory',
      directory: d.directory,
      engineer: handle(d.engineerId),
      understoodSymbols: d.understoodSymbols,
      symbols: d.symbols,
      weight: round(d.weight, 1),
    }));
  const symbols: DigestIsland[] = now.symbols
    .filter((s) => !hadSymbol.has(`${s.id}:${s.engineerId}`))
    .map((s) => ({
      scope: 'symbol',
      symbol: s.name,
      kind: s.kind,
      file: s.file,
      engineer: handle(s.engineerId),
      weight: round(s.weight, 1),
      byAuthorship: s.byAuthorship,
    }));
  return [...directories, ...symbols].slice(0, TOP_ISLANDS);
}

function engineerWeeks(inputs: DigestInputs, atEnd: Snapshot, atStart: Snapshot, b: Bounds): EngineerWeek[] {
  // One pass over the marks and the understanding for everyone, not one per engineer.
  const marksOf = new Map<number, MarkRow[]>();
  for (const m of inputs.marks) {
    const list = marksOf.get(m.engineerId);
    if (list) list.push(m);
    else marksOf.set(m.engineerId, [m]);
  }
  const staleCount = new Map<number, number>();
  for (const u of atEnd.understanding.values()) for (const id of u.staleBy) staleCount.set(id, (staleCount.get(id) ?? 0) + 1);
  return inputs.engineers.map((e) => {
    const mine = marksOf.get(e.id) ?? [];
    const thisWeek = mine.filter((m) => m.createdAt >= b.start && m.createdAt < atEnd.at);
    const count = (level: string) => thisWeek.filter((m) => m.level === level).length;
    const staleMarks = staleCount.get(e.id) ?? 0;
    return {
      handle: e.handle,
      name: e.name,
      marks: { viewed: count('viewed'), reviewed: count('reviewed'), explained: count('explained'), total: thisWeek.length },
      previousMarks: mine.filter((m) => m.createdAt >= b.prevStart && m.createdAt < b.start).length,
      coverage: round(coverage(atEnd.symbols, atEnd.understanding, e.id).ratio, 4),
      previousCoverage: round(coverage(atStart.symbols, atStart.understanding, e.id).ratio, 4),
      staleMarks,
    };
  });
}
