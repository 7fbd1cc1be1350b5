/**
 * The weekly digest as JSON (`grasp digest --format json`, `GET /api/digest`), which the Markdown
 * and HTML renderers read. Top-level keys follow issue 9; `staleAreas` carries the issue's
 * "most stale areas", which the JSON sketch has no key for. Dates are ISO strings;
 * shares and coverage are 0..1; debt is complexity-weighted agent lines (src/core/debt.ts).
 */

/** A this-week figure with last week's for comparison. */
export interface Compared {
  value: number;
  previous: number;
}

export interface ShareOfTotal {
  /** Lines (or commits) by agents this week. */
  agent: number;
  total: number;
  /** agent / total; null when nothing changed that week. */
  share: number | null;
  previousAgent: number;
  previousTotal: number;
  previousShare: number | null;
}

export interface AgentActivity {
  /** Agent name as provenance detected it ('unknown' when the agent could not be told). */
  agent: string;
  lines: number;
  commits: number;
  previousLines: number;
  previousCommits: number;
}

export interface DebtItem {
  symbol: string;
  kind: string;
  file: string;
  debt: number;
  /** Engineers whose marks paid the debt (debtPaid only). */
  by?: string[];
}

export interface DebtFlow extends Compared {
  symbols: number;
  /** Heaviest first, at most 10. */
  items: DebtItem[];
}

export interface DigestHotspot {
  symbol: string;
  kind: string;
  file: string;
  startLine: number;
  endLine: number;
  score: number;
  frequency: number;
  complexity: number;
  agentShare: number;
  coverage: number;
}

export type DigestIsland =
  | { scope: 'symbol'; symbol: string; kind: string; file: string; engineer: string; weight: number; byAuthorship: boolean }
  | { scope: 'directory'; directory: string; engineer: string; understoodSymbols: number; symbols: number; weight: number };

export interface RubberStamp {
  pr: number;
  title: string;
  reviewer: string | null;
  submittedAt: string | null;
  reason: string | null;
}

export interface EngineerWeek {
  handle: string;
  name: string;
  /** Marks written this week, by level (rows, so a file or commit target counts each symbol). */
  marks: { viewed: number; reviewed: number; explained: number; total: number };
  previousMarks: number;
  /** Personal coverage at the week's end: share of agent-written weighted lines this engineer understands. */
  coverage: number;
  previousCoverage: number;
  /** Symbols whose current version the engineer understood before it changed (stale, not renewed). */
  staleMarks: number;
}

export interface StaleArea {
  directory: string;
  /** Engineers who understood an earlier version of something here. */
  engineers: string[];
  symbols: number;
  weight: number;
}

/** One engineer's understanding that a commit of the week made stale. */
export interface StaleUnderstanding {
  engineer: string;
  /** How many of their marks went stale this week (`items` lists the newest 20). */
  count: number;
  items: {
    symbol: string;
    file: string;
    /** The stale mark's level: reviewed or explained. */
    level: string;
    markedAt: string;
    /** The commit that changed the symbol away from the marked version, and who (which agent) wrote it. */
    commit: { sha: string; at: string; author: string; kind: string; agent: string | null };
  }[];
}

export interface UnlinkedAuthorRow {
  email: string;
  name: string;
  commits: number;
  lastCommitAt: string;
}

/**
 * One repository's row of the digest (or, as `Digest.totals`, the whole team's): the same
 * definitions as the team figures above it, over that repository's commits and symbols.
 */
export interface RepoFigures {
  /** Non-merge commits authored this week: the denominator of `agentShare.commits`. */
  commits: number;
  /** Agent share this week (and last) with its denominators: changed lines and commits. */
  agentShare: { lines: ShareOfTotal; commits: ShareOfTotal };
  /**
   * Coverage at the week's end: understood weight / weight (complexity-weighted agent lines,
   * docs/model.md); 1 with no agent-written code. `previous` is at the end of last week.
   */
  coverage: { value: number; previous: number; understoodWeight: number; weight: number };
  /** Debt at the week's end: the weight nobody understands. */
  debt: number;
  /** New debt this week: agent-written versions of the week nobody understands at its end (as `debtAdded`). */
  debtAdded: { value: number; symbols: number };
  /** The heaviest debt at the week's end, at most 5. */
  topItems: DebtItem[];
}

export interface RepoDigest extends RepoFigures {
  /** The repository's name (`grasp repos`). */
  name: string;
  /** Its ingested head commit (now, not at the week's end); null before the first commit. */
  head: string | null;
}

export interface Digest {
  week: string;
  previousWeek: string;
  agentShare: { lines: ShareOfTotal; commits: ShareOfTotal; byAgent: AgentActivity[] };
  debtAdded: DebtFlow;
  debtPaid: DebtFlow;
  /** Team coverage at the end of the week (or now, for the current week) and at the end of the previous one. */
  coverage: Compared;
  /** The 8 weeks ending with this one, oldest first. */
  coverageTrend: { week: string; coverage: number }[];
  hotspots: DigestHotspot[];
  /** Knowledge islands at the week's end that were not islands at the previous week's end. */
  islands: DigestIsland[];
  rubberStamps: RubberStamp[];
  engineers: EngineerWeek[];
  unlinkedAuthors: UnlinkedAuthorRow[];
  staleAreas: StaleArea[];
  /** "Understanding that went stale": marks made stale by this week's commits, per engineer, most first. */
  staleUnderstanding: StaleUnderstanding[];
  /** The agent scorecard over the 90 days to the week's end: review depth per agent, with its reasons. */
  agentScorecard: DigestAgentCard[];
  /** One row per tracked repository (only the chosen one under --repo), by name. */
  repos: RepoDigest[];
  /** The same figures for every repository together (the team row under `repos`). */
  totals: RepoFigures;
}

export interface DigestAgentCard {
  agent: string;
  commits: number;
  agentLines: number;
  churn30d: number | null;
  reverts: number;
  coverage: number | null;
  depth: string;
  reasons: string[];
}
