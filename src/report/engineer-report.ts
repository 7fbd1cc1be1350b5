/**
 * The per-engineer "what don't I understand" report: agent-written code in the engineer's area
 * that they do not understand yet, ranked by debt x relevance, with why each item is there, who
 * to ask, and for stale marks what changed since. A fixed number of set-based queries.
 */
import { agentWeight, coverage, deriveUnderstanding, totalDebt, type DebtSymbol, type SymbolMarkState, type Understanding } from '../core/debt.ts';
import { directoryOf } from '../core/hotspots.ts';
import { deriveMarkStates } from '../core/marks.ts';
import { BOOST, findReferences, placeKey, relevanceOf, splitPlaceKey, reportScore, RELEVANCE_WINDOW_DAYS, type Relevance, type RelevanceContext } from '../core/relevance.ts';
import { getEngineer } from '../db/repo/engineers.ts';
import { loadAgentSymbolsFor, loadEngineerDirectory, loadIdentityMarkRecords, loadSymbolNames, loadTexts } from '../db/repo/report.ts';
import { commitsLeavingVersions, versionKey } from '../db/repo/alerts.ts';
import type { Store } from '../db/store.ts';
import { loadRecentWork, loadReviewLinks } from './activity.ts';
import { isoDate, round } from './options.ts';
import { describeItems, rubberStampsInArea, type OwnMark, type Ranked, type ReportItem, type RubberStampEntry } from './report-items.ts';

export type { ReportItem, RubberStampEntry } from './report-items.ts';

const DAY = 86_400;
export const DEFAULT_REPORT_LIMIT = 50;
/** Engineer ids start at 1: this stands for "at least one other engineer" in the understanding sets. */
const SOMEONE_ELSE = -1;

export interface ReportOptions {
  /** Normalized scope path (see scopeSchema); undefined = whole repository. */
  scope?: string;
  /** Epoch milliseconds; defaults to Date.now(). */
  now?: number;
  limit?: number;
}

export interface EngineerReport {
  engineer: string;
  generatedAt: string;
  scope: string | null;
  summary: {
    /** Share of agent-written weight in the engineer's area that they understand. */
    myCoverage: number;
    /** Share of agent-written weight (in scope) that anyone understands. */
    teamCoverage: number;
    /** Debt in the engineer's area. */
    debt: number;
    /** Agent-written symbols (in scope) on which the engineer's latest mark is on an older version. */
    staleMarks: number;
  };
  /** How the engineer's area was found: from their activity, or the whole scope when they had none. */
  area: 'activity' | 'everything';
  items: ReportItem[];
  rubberStamps: RubberStampEntry[];
  /** "Your understanding went stale": reviewed/explained marks a later change made stale, newest change first. */
  staleUnderstanding: StaleUnderstanding[];
}

export interface StaleUnderstanding {
  target: string;
  level: string;
  markedAt: string;
  /** The commit that changed the symbol away from the marked version (null when history does not say). */
  commit: { sha: string; at: string; author: string; agent: string | null } | null;
}

/** At most this many stale understanding marks are listed (newest change first). */
export const MAX_STALE_LISTED = 20;

export async function buildEngineerReport(store: Store, handle: string, opts: ReportOptions = {}): Promise<EngineerReport> {
  const me = await getEngineer(store, handle);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const since = now - RELEVANCE_WINDOW_DAYS * DAY;
  const limit = opts.limit ?? DEFAULT_REPORT_LIMIT;

  // Only agent-written symbols can carry debt or count towards coverage, so only they are read.
  const [people, { symbols: current, understoodByOthers, freshLevels, staleSymbols }] = await Promise.all([
    loadEngineerDirectory(store),
    loadAgentSymbolsFor(store, opts.scope, me.id),
  ]);
  // Whether anyone else understands a symbol comes from SQL as a yes or no, entered under a
  // stand-in engineer (who exactly is read for the items shown only); so do the engineer's own
  // fresh levels, and which symbols carry only an older mark of theirs (stale). The report weighs
  // understanding only, so stale marks enter no state; their details are read for the items shown.
  const states: SymbolMarkState[] = [];
  for (const symbolId of understoodByOthers) states.push({ engineerId: SOMEONE_ELSE, symbolId, level: 'reviewed', stale: false });
  for (const [symbolId, level] of freshLevels) states.push({ engineerId: me.id, symbolId, level, stale: false });
  const staleIds = new Set(staleSymbols.map((s) => s.id));
  const understanding = deriveUnderstanding(current, states, people.emailOwner);

  // The engineer's area and the relevance of each symbol to them.
  const myEmails = people.emailsOf(me.id);
  const [work, reviewLinks] = await Promise.all([loadRecentWork(store, myEmails, since), loadReviewLinks(store, people.loginsOf(me.id), since)]);
  const directories = new Map<string, number>();
  for (const [place, n] of work.files) {
    const { repoId, path } = splitPlaceKey(place);
    const dir = placeKey(repoId, directoryOf(path));
    directories.set(dir, (directories.get(dir) ?? 0) + n);
  }
  const ctx: RelevanceContext = {
    files: work.files,
    directories,
    emails: new Set(myEmails),
    calls: new Map(),
    calledBy: new Map(),
    pullRequests: reviewLinks,
    staleMarks: staleIds,
    windowDays: RELEVANCE_WINDOW_DAYS,
  };
  const candidates = current.filter((s) => agentWeight(s) > 0 && !understanding.get(s.id)!.understoodBy.has(me.id));
  const { relevance, ranked } = await rankWithReferences(store, { current, candidates, understanding, ctx, changedIds: work.symbolIds, limit });
  const inArea = current.filter((s) => relevance.get(s.id)!.inArea);
  const area = inArea.length > 0 ? inArea : current;

  const areaDirectories = new Set([...area.map((s) => directoryOf(s.file)), ...[...directories.keys()].map((k) => splitPlaceKey(k).path)]);
  const myStale = await ownStaleMarks(store, me.id, ranked.filter((r) => staleIds.has(r.s.id)).map((r) => r.s));
  const [items, rubberStamps, staleUnderstanding] = await Promise.all([
    describeItems(store, ranked, { now, people, relevance, myStale }),
    rubberStampsInArea(store, since, areaDirectories),
    staleUnderstandingOf(store, me.id, staleSymbols),
  ]);
  return {
    engineer: me.handle,
    generatedAt: isoDate(now),
    scope: opts.scope ?? null,
    summary: {
      myCoverage: round(coverage(area, understanding, me.id).ratio, 4),
      teamCoverage: round(coverage(current, understanding).ratio, 4),
      debt: round(totalDebt(area, understanding)),
      staleMarks: staleIds.size,
    },
    area: inArea.length > 0 ? 'activity' : 'everything',
    items,
    rubberStamps,
    staleUnderstanding,
  };
}

async function staleUnderstandingOf(store: Store, engineerId: number, stale: readonly DebtSymbol[]): Promise<StaleUnderstanding[]> {
  if (stale.length === 0) return [];
  const marks = [...(await ownStaleMarks(store, engineerId, stale))].filter(([, m]) => m.level === 'reviewed' || m.level === 'explained');
  const commits = await commitsLeavingVersions(store, marks.map(([symbolId, m]) => ({ symbolId, hash: m.hash })));
  const byId = new Map(stale.map((s) => [s.id, s]));
  return marks
    .map(([symbolId, m]) => {
      const s = byId.get(symbolId)!;
      const c = commits.get(versionKey(symbolId, m.hash));
      return {
        target: `${s.file}#${s.name}`,
        level: m.level,
        markedAt: isoDate(m.at),
        commit: c ? { sha: c.sha, at: isoDate(c.at), author: c.author, agent: c.agent } : null,
      };
    })
    .sort((a, b) => (b.commit?.at ?? '').localeCompare(a.commit?.at ?? '') || a.target.localeCompare(b.target))
    .slice(0, MAX_STALE_LISTED);
}

/** The engineer's latest mark on each symbol's identity (all of them stale), for the items shown. */
async function ownStaleMarks(store: Store, engineerId: number, stale: readonly DebtSymbol[]): Promise<Map<number, OwnMark>> {
  const out = new Map<number, OwnMark>();
  if (stale.length === 0) return out;
  for (const st of deriveMarkStates(await loadIdentityMarkRecords(store, engineerId, stale), stale)) {
    out.set(st.symbol.id, { level: st.mark.level, hash: st.mark.hash, at: st.mark.createdAt });
  }
  return out;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byRank = (a: Ranked, b: Ranked) => b.score - a.score || compare(a.s.file, b.s.file) || compare(a.s.name, b.s.name);

/** The `limit` best by score (ties by file, name), sorting only what can make the cut. */
function topByScore(symbols: readonly DebtSymbol[], scoreOf: (s: DebtSymbol) => number, understanding: ReadonlyMap<number, Understanding>, limit: number): Ranked[] {
  const scores = Float64Array.from(symbols, scoreOf);
  const sorted = Float64Array.from(scores).sort();
  const cut = sorted.length <= limit ? -Infinity : sorted[sorted.length - limit]!;
  const out: Ranked[] = [];
  symbols.forEach((s, i) => {
    if (scores[i]! >= cut) out.push({ s, u: understanding.get(s.id)!, score: scores[i]! });
  });
  return out.sort(byRank).slice(0, limit);
}

/**
 * Scores every candidate and returns the top `limit`. References cost the text of every candidate
 * ("does it mention my change?"), so that direction is only computed for the candidates whose score
 * could still reach the top with the reference boost added: scores only grow, so the threshold
 * taken without it is safe, and the result is exactly what scanning every text would give.
 */
async function rankWithReferences(
  store: Store,
  input: {
    current: readonly DebtSymbol[];
    candidates: readonly DebtSymbol[];
    understanding: ReadonlyMap<number, Understanding>;
    ctx: RelevanceContext;
    changedIds: ReadonlySet<number>;
    limit: number;
  },
): Promise<{ relevance: Map<number, Relevance>; ranked: Ranked[] }> {
  const { current, candidates, understanding, ctx, limit } = input;
  const changed = input.changedIds.size === 0 || candidates.length === 0 ? [] : await loadSymbolNames(store, input.changedIds);
  const changedTexts = await loadTexts(store, changed.map((s) => s.hash));
  const mine = changed.map((s) => ({ id: s.id, name: s.name, text: changedTexts.get(s.hash) ?? null }));
  const calledBy = findReferences(mine, candidates.map((s) => ({ id: s.id, name: s.name, text: null }))).calledBy;
  const context: RelevanceContext = { ...ctx, calledBy };
  const relevance = new Map<number, Relevance>(current.map((s) => [s.id, relevanceOf(s, context, false)]));
  const weight = new Map(candidates.map((s) => [s.id, agentWeight(s)]));
  const score = (s: DebtSymbol, boost: number) => reportScore(weight.get(s.id)!, understanding.get(s.id)!.understoodBy.size > 0, boost);
  let ranked = topByScore(candidates, (s) => score(s, relevance.get(s.id)!.boost), understanding, limit);
  if (mine.length > 0) {
    const threshold = ranked.length >= limit ? ranked[limit - 1]!.score : 0;
    const open = candidates.filter((s) => score(s, relevance.get(s.id)!.boost + (calledBy.has(s.id) ? 0 : BOOST.reference)) >= threshold);
    const texts = await loadTexts(store, open.map((s) => s.hash));
    context.calls = findReferences(mine, open.map((s) => ({ id: s.id, name: s.name, text: texts.get(s.hash) ?? null }))).calls;
    if (context.calls.size > 0) {
      for (const s of open) if (context.calls.has(s.id)) relevance.set(s.id, relevanceOf(s, context, false));
      ranked = topByScore(open, (s) => score(s, relevance.get(s.id)!.boost), understanding, limit);
    }
  }
  // Words only for the symbols shown.
  for (const r of ranked) relevance.set(r.s.id, relevanceOf(r.s, context));
  return { relevance, ranked };
}
