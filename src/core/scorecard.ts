/**
 * Agent scorecard, pure: how far to trust one agent (optionally in one top-level directory), with
 * every figure next to its denominator. The db layer counts the facts; this file turns them into
 * shares and a suggested review depth with its reasons.
 *
 * Depth rule (first match wins):
 *   deep   — churn within 30 days >= 30 % (of >= 50 lines), or >= 2 reverts making >= 10 % of its
 *            commits, or >= 2 risk flags per 100 agent lines, or any rubber-stamped approval while
 *            coverage is under 50 %;
 *   light  — >= 10 commits and >= 200 agent lines, churn 30d <= 10 %, no revert, < 0.5 flags per
 *            100 lines, coverage >= 80 %;
 *   normal — otherwise (including too little history to say more: fewer than 10 commits).
 */
import type { ChurnFigure } from './churn.ts';

export type ReviewDepth = 'light' | 'normal' | 'deep';

export interface AgentFacts {
  agent: string;
  /** Top-level directory, or null for the agent as a whole. */
  area: string | null;
  commits: number;
  /** Lines the agent wrote (added lines of its commits). */
  agentLines: number;
  /** Lines everyone wrote in the same scope and window: the denominator of `share`. */
  allLines: number;
  churn14: ChurnFigure;
  churn30: ChurnFigure;
  /** Of `commits`, how many were reverted later. */
  reverts: number;
  /** Understood weight / weight of the agent's current code. */
  understoodWeight: number;
  weight: number;
  /** Approvals of the agent's PRs, and how many of them were rubber stamps. */
  approvals: number;
  rubberStamps: number;
  /** Risk flags raised on the agent's changed symbols. */
  flags: number;
}

export interface Scorecard {
  agent: string;
  area: string | null;
  commits: number;
  agentLines: number;
  share: number | null;
  churn14d: number | null;
  churn30d: number | null;
  reverts: number;
  coverage: number | null;
  rubberStamps: number;
  flagsPer100Lines: number | null;
  depth: ReviewDepth;
  reasons: string[];
  /** The denominators behind each share, so no number stands alone. */
  basis: {
    allLines: number;
    churn14: ChurnFigure;
    churn30: ChurnFigure;
    weight: number;
    approvals: number;
    flags: number;
  };
}

export const DEPTH_RULE =
  'deep: churn 30d >= 30% (of >= 50 lines), >= 2 reverts and >= 10% of commits, >= 2 flags per 100 lines, or a rubber stamp with coverage < 50%; ' +
  'light: >= 10 commits, >= 200 lines, churn 30d <= 10%, no revert, < 0.5 flags per 100 lines, coverage >= 80%; normal otherwise';

const pct = (n: number): string => `${Math.round(n * 100)}%`;
const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function scorecard(f: AgentFacts): Scorecard {
  const coverage = ratio(f.understoodWeight, f.weight);
  const flagsPer100Lines = f.agentLines > 0 ? (f.flags * 100) / f.agentLines : null;
  const churn30 = f.churn30.share;
  const reasons: string[] = [];
  const deep: string[] = [];

  if (churn30 !== null && churn30 >= 0.3 && f.churn30.lines >= 50) {
    deep.push(`churn within 30 days ${pct(churn30)} (${f.churn30.churned} of ${f.churn30.lines} lines)`);
  }
  if (f.reverts >= 2 && f.reverts >= 0.1 * f.commits) deep.push(`${f.reverts} of ${f.commits} commits reverted`);
  if (flagsPer100Lines !== null && flagsPer100Lines >= 2) {
    deep.push(`${flagsPer100Lines.toFixed(1)} risk flags per 100 lines (${f.flags} flags in ${f.agentLines} lines)`);
  }
  if (f.rubberStamps > 0 && coverage !== null && coverage < 0.5) {
    deep.push(`${f.rubberStamps} of ${f.approvals} approvals were rubber stamps while coverage is ${pct(coverage)}`);
  }

  let depth: ReviewDepth;
  if (deep.length > 0) {
    depth = 'deep';
    reasons.push(...deep);
  } else if (f.commits < 10) {
    depth = 'normal';
    reasons.push(`only ${f.commits} commits: too little history for a lighter review`);
  } else {
    const light =
      f.agentLines >= 200 &&
      churn30 !== null &&
      churn30 <= 0.1 &&
      f.reverts === 0 &&
      (flagsPer100Lines ?? 0) < 0.5 &&
      coverage !== null &&
      coverage >= 0.8;
    depth = light ? 'light' : 'normal';
    if (churn30 !== null) reasons.push(`churn within 30 days ${pct(churn30)} (${f.churn30.churned} of ${f.churn30.lines} lines)`);
    else reasons.push('no lines old enough to measure churn within 30 days');
    reasons.push(`${f.reverts} of ${f.commits} commits reverted`);
    if (coverage !== null) reasons.push(`coverage ${pct(coverage)} of its weight understood`);
    if (flagsPer100Lines !== null) reasons.push(`${flagsPer100Lines.toFixed(1)} risk flags per 100 lines (${f.flags} in ${f.agentLines})`);
  }

  return {
    agent: f.agent,
    area: f.area,
    commits: f.commits,
    agentLines: f.agentLines,
    share: ratio(f.agentLines, f.allLines),
    churn14d: f.churn14.share,
    churn30d: churn30,
    reverts: f.reverts,
    coverage,
    rubberStamps: f.rubberStamps,
    flagsPer100Lines,
    depth,
    reasons,
    basis: { allLines: f.allLines, churn14: f.churn14, churn30: f.churn30, weight: f.weight, approvals: f.approvals, flags: f.flags },
  };
}

/** "Revert \"subject\"" and `This reverts commit <sha>.`: the shas a commit message reverts. */
export function revertedShas(message: string): string[] {
  const out = new Set<string>();
  for (const m of message.matchAll(/This reverts commit ([0-9a-f]{7,40})/gi)) out.add(m[1]!.toLowerCase());
  return [...out];
}
