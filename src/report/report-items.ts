/**
 * Turns the ranked symbols of an engineer's report into items people read: why each is there
 * (which agent commit wrote it and when, complexity, recent churn, relevance), who to ask, and for
 * stale marks the diff since. Reads only for the few items shown.
 */
import { createTwoFilesPatch } from 'diff';
import { explanationsFor } from '../checklist/explanations.ts';
import type { ItemExplanation } from '../checklist/types.ts';
import { agentWeight, type DebtSymbol, type Understanding } from '../core/debt.ts';
import { directoryOf } from '../core/hotspots.ts';
import { isUnderstandingLevel, type MarkLevel } from '../core/marks.ts';
import type { Relevance } from '../core/relevance.ts';
import { listRepos } from '../db/repo/repos.ts';
import { loadChangeBuckets, loadLatestLevels, loadSymbolDetails, loadTexts, type EngineerDirectory , versionKey } from '../db/repo/report.ts';
import type { Store } from '../db/store.ts';
import { loadAgentOrigins, loadCommitInfo, loadRubberStamps } from './activity.ts';
import { isoDate, round } from './options.ts';

const DAY = 86_400;
/** "changed K times in 30 days" in the reasons. */
export const RECENT_CHANGE_DAYS = 30;

export interface ReportItem {
  /** The repository's name (a report covers every repository unless narrowed). */
  repo: string;
  symbol: string;
  kind: string;
  file: string;
  startLine: number;
  endLine: number;
  /** Complexity-weighted agent lines when nobody understands it, else 0. */
  debt: number;
  score: number;
  reasons: string[];
  /** Handles of engineers who understand the current version (ask them). */
  understoodBy: string[];
  /** The engineer's own latest mark is on an earlier version. */
  stale: boolean;
  /** Latest mark `viewed` on the current version (shown, not counted). */
  viewedBy: string[];
  /** For stale items: unified diff from the marked version to the current one (null when a text is missing). */
  diff: string | null;
  /** The team's latest explanation of the symbol; stale (with the diff since) when written for an earlier version. */
  explanation: ItemExplanation | null;
}

export interface RubberStampEntry {
  number: number;
  title: string;
  reviewer: string | null;
  submittedAt: string | null;
  reason: string | null;
}

/** The engineer's latest mark on a symbol, fresh or stale, with what it was written on. */
export interface OwnMark {
  level: MarkLevel;
  hash: string;
  /** Epoch seconds. */
  at: number;
}

export interface Ranked {
  s: DebtSymbol;
  u: Understanding;
  score: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const day = (sec: number) => isoDate(sec).slice(0, 10);
const withEol = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

export async function describeItems(
  store: Store,
  ranked: readonly Ranked[],
  ctx: { now: number; people: EngineerDirectory; relevance: ReadonlyMap<number, Relevance>; myStale: ReadonlyMap<number, OwnMark> },
): Promise<ReportItem[]> {
  const ids = ranked.map((r) => r.s.id);
  const details = await loadSymbolDetails(store, ids);
  const shown = ranked.map((r) => ({ ...r.s, ...details.get(r.s.id)! }));
  const stale = shown.filter((s) => ctx.myStale.has(s.id));
  const repoNames = new Map((await listRepos(store)).map((r) => [r.id, r.name]));
  const [origins, buckets, texts, lastCommits, levels] = await Promise.all([
    loadAgentOrigins(store, shown),
    loadChangeBuckets(store, ctx.now - RECENT_CHANGE_DAYS * DAY, ids),
    loadTexts(store, stale.flatMap((s) => [s.hash, ctx.myStale.get(s.id)!.hash])),
    loadCommitInfo(store, shown.flatMap((s) => (s.lastSha ? [s.lastSha] : []))),
    loadLatestLevels(store, shown.map((s) => ({ repoId: s.repoId, hash: s.hash }))),
  ]);
  const explained = await explanationsFor(store, shown.map((s) => ({ symbolId: s.id, hash: s.hash, file: s.file, symbol: s.name })));
  const handles = (list: Iterable<number>) => [...list].map((id) => ctx.people.byId.get(id)?.handle ?? `#${id}`).sort();
  return ranked.map(({ u, score }, i) => {
    const s = shown[i]!;
    // Who: each engineer's latest mark on the current version (the ranking only needed a yes or no).
    const latest = levels.get(versionKey(s.repoId, s.hash)) ?? [];
    const understanders = latest.filter((l) => isUnderstandingLevel(l.level)).map((l) => l.engineerId);
    const viewers = latest.filter((l) => !isUnderstandingLevel(l.level)).map((l) => l.engineerId);
    const reasons: string[] = [];
    const wrote = origins.get(s.id);
    if (wrote && wrote.length > 0) {
      for (const o of wrote.slice(0, 3)) reasons.push(`${o.agent ?? 'an agent'} wrote ${plural(o.lines, 'line')} in ${o.sha.slice(0, 7)} on ${day(o.at)}`);
      if (wrote.length > 3) reasons.push(`and ${plural(wrote.length - 3, 'more commit')} by agents`);
    } else {
      const last = s.lastSha ? lastCommits.get(s.lastSha) : undefined;
      const tail = last ? `, last changed in ${last.sha.slice(0, 7)} on ${day(last.authorDate)}` : '';
      reasons.push(`${plural(s.agentLines, 'agent-written line')}${tail}`);
    }
    reasons.push(`complexity ${s.complexity}`);
    const recent = (buckets.get(s.id) ?? []).reduce((n, b) => n + b.count, 0);
    if (recent > 0) reasons.push(`changed ${plural(recent, 'time')} in ${RECENT_CHANGE_DAYS} days`);
    reasons.push(...(ctx.relevance.get(s.id)?.reasons ?? []));
    const mark = ctx.myStale.get(s.id);
    let diff: string | null = null;
    if (mark) {
      reasons.push(`you ${mark.level} an earlier version on ${day(mark.at)} (stale): what changed since`);
      const before = texts.get(mark.hash);
      const after = texts.get(s.hash);
      if (before !== undefined && after !== undefined) {
        const label = `${s.file}#${s.name}`;
        diff = createTwoFilesPatch(label, label, withEol(before), withEol(after), `marked ${day(mark.at)}`, 'current');
      }
    }
    if (u.understoodBy.size === 0) reasons.push('nobody understands the current version yet');
    return {
      repo: repoNames.get(s.repoId) ?? `#${s.repoId}`,
      symbol: s.name,
      kind: s.kind,
      file: s.file,
      startLine: s.startLine,
      endLine: s.endLine,
      debt: round(u.understoodBy.size > 0 ? 0 : agentWeight(s)),
      score: round(score),
      reasons,
      understoodBy: handles(understanders),
      stale: mark !== undefined,
      viewedBy: handles(viewers),
      diff,
      explanation: explained.get(s.id) ?? null,
    };
  });
}

/** Rubber-stamp approvals whose pull request touched a directory of the engineer's area. */
export async function rubberStampsInArea(store: Store, since: number, areaDirectories: ReadonlySet<string>): Promise<RubberStampEntry[]> {
  const stamps = await loadRubberStamps(store, since);
  return stamps
    .filter((r) => r.files.some((f) => areaDirectories.has(directoryOf(f))))
    .map((r) => ({ number: r.number, title: r.title, reviewer: r.reviewer, submittedAt: r.submittedAt === null ? null : isoDate(r.submittedAt), reason: r.reason }));
}
