/**
 * One line-attribution model for every authorship record (git-ai, whogitit, agentblame, Agent Trace,
 * Entire): who wrote each added line of a commit — an agent, a known human, or nobody knows
 * ("untracked": neither agent nor positive human evidence, counted apart).
 *
 * A record that carries positive human evidence (git-ai `humans`, explicit human ranges, per-line
 * sources) is "complete": the added lines it does not cover are untracked. A record with agent ranges
 * only leaves the other lines to the commit's own provenance, as before.
 */
import { normalizeRanges, rangesLineCount, type Range } from './ranges.ts';

export type LineAuthor = 'agent' | 'human' | 'untracked';
export type RecordSource = 'git-ai' | 'whogitit' | 'agentblame' | 'agent-trace' | 'entire';

export interface LineSpan {
  path: string;
  ranges: Range[];
  author: LineAuthor;
  /** Canonical agent name for agent spans, else null. */
  agent: string | null;
  model: string | null;
  /** The record's own key (session, conversation), for storage. */
  key: string;
}

export interface AttributionRecord {
  source: RecordSource;
  spans: LineSpan[];
  complete: boolean;
  /** Whole-commit counts from records without ranges (Entire-Attribution, AI-Lines). */
  totals: { agentLines: number; totalLines: number } | null;
  /** Agents the record names, even without lines. */
  agents: string[];
}

export interface ResolvedAttribution {
  /** Disjoint spans: at most one author per added line. */
  spans: LineSpan[];
  counts: { agent: number; human: number; untracked: number };
  agents: string[];
}

/** Lines of `ranges` not in `minus`. */
export function subtractRanges(ranges: readonly Range[], minus: readonly Range[]): Range[] {
  const out: [number, number][] = [];
  const cut = normalizeRanges(minus);
  for (const [s0, e0] of normalizeRanges(ranges)) {
    let s = s0;
    for (const [ms, me] of cut) {
      if (me < s || ms > e0) continue;
      if (ms > s) out.push([s, ms - 1]);
      s = Math.max(s, me + 1);
      if (s > e0) break;
    }
    if (s <= e0) out.push([s, e0]);
  }
  return out;
}

export function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  return subtractRanges(a, subtractRanges(a, b));
}

/**
 * Reduces records to one author per added line. The first record that attributes a line wins
 * (records come in precedence order); lines are limited to what the commit added (`added` by path).
 * When any record is complete, added lines of the files it covers that no record attributes are untracked.
 */
export function resolveAttribution(records: readonly AttributionRecord[], added: ReadonlyMap<string, readonly Range[]>): ResolvedAttribution {
  const taken = new Map<string, Range[]>();
  const spans: LineSpan[] = [];
  const take = (span: LineSpan) => {
    const limit = added.get(span.path);
    if (!limit) return;
    const free = subtractRanges(intersectRanges(span.ranges, limit), taken.get(span.path) ?? []);
    if (free.length === 0) return;
    taken.set(span.path, normalizeRanges([...(taken.get(span.path) ?? []), ...free]));
    spans.push({ ...span, ranges: free });
  };
  // Earlier records win a line; inside one record an agent claim beats a human one.
  for (const r of records) {
    for (const author of ['agent', 'human', 'untracked'] as const) for (const s of r.spans) if (s.author === author) take(s);
  }
  const completePaths = new Set(records.filter((r) => r.complete).flatMap((r) => r.spans.map((s) => s.path)));
  for (const path of completePaths) {
    const rest = subtractRanges(added.get(path) ?? [], taken.get(path) ?? []);
    if (rest.length) spans.push({ path, ranges: rest, author: 'untracked', agent: null, model: null, key: UNTRACKED_KEY });
  }
  const counts = { agent: 0, human: 0, untracked: 0 };
  for (const s of spans) counts[s.author] += rangesLineCount(s.ranges);
  const agents = [...new Set(records.flatMap((r) => [...r.agents, ...r.spans.flatMap((s) => (s.agent ? [s.agent] : []))]))];
  return { spans, counts, agents };
}

/** Storage key of the untracked lines of a file (ai_lines rows with no agent). */
export const UNTRACKED_KEY = '~untracked';
