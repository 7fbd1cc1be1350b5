/**
 * The merge gate, pure: which checklist items the policy gates, which of them lack the required
 * mark at their head version, and the PR's debt and coverage (the model's formulas applied to the
 * PR's agent-written lines). Marks come in as `standing` so the local database and the team
 * service feed the same function.
 */
import { minimatch } from 'minimatch';
import type { Checklist, ChecklistItem } from '../checklist/types.ts';
import { agentWeight } from '../core/debt.ts';
import { compareLevels, isUnderstandingLevel, type MarkLevel } from '../core/marks.ts';
import type { Policy } from './policy.ts';

/** An engineer's latest mark on one hash. */
export interface MarkStanding {
  engineer: string;
  level: MarkLevel;
}

export interface GateInputs {
  checklist: Checklist;
  /** The head version (symbol hash or file blob) and last line of each item, by `itemKey`; absent: unknown. */
  heads: ReadonlyMap<string, ItemHead>;
  /** Latest marks by engineer on each hash. */
  standing: ReadonlyMap<string, readonly MarkStanding[]>;
  policy: Policy;
}

export interface ItemHead {
  hash: string | null;
  endLine: number | null;
}

export interface GateItem {
  order: number;
  symbol: string;
  file: string;
  line: number | null;
  /** Last line of the item at head, when known (annotations span it). */
  endLine: number | null;
  required: MarkLevel;
  /** The policy flags that gate it (`unreviewed-agent-code` for agent-written lines). */
  because: string[];
  /** Engineers whose latest mark at the head version meets `required`. */
  satisfiedBy: string[];
  pass: boolean;
}

export interface GateResult {
  pass: boolean;
  gated: GateItem[];
  failing: GateItem[];
  /** Items left out by the policy's `ignore` globs. */
  ignored: number;
  /** Complexity-weighted agent lines of the PR nobody understands at head. */
  debt: number;
  /** Understood share of the PR's agent-written weight (1 with no agent code). */
  coverage: number;
  effortMinutes: number;
  /** Failing items: the `unreviewed=` output. */
  unreviewed: number;
  /** Threshold verdicts; null when the policy sets none. */
  maxDebt: { limit: number; pass: boolean } | null;
  minCoverage: { limit: number; pass: boolean } | null;
}

export function itemKey(item: Pick<ChecklistItem, 'file' | 'symbol'>): string {
  return `${item.file}\u0000${item.symbol}`;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function evaluateGate({ checklist, heads, standing, policy }: GateInputs): GateResult {
  const ignored = (file: string) => policy.ignore.some((g) => minimatch(file, g, { dot: true }));
  const explainedFlags = new Set<string>(policy.explained);
  const gateFlags = new Set<string>(policy.flags);
  const gated: GateItem[] = [];
  let ignoredCount = 0;
  let total = 0;
  let understood = 0;
  for (const item of checklist.items) {
    if (item.change === 'deleted') continue;
    if (ignored(item.file)) {
      ignoredCount++;
      continue;
    }
    const head = heads.get(itemKey(item));
    const hash = head?.hash ?? null;
    const marks = hash ? (standing.get(hash) ?? []) : [];
    if (item.agentLines > 0) {
      const weight = agentWeight({ agentLines: item.agentLines, complexity: item.complexity ?? 1 });
      total += weight;
      if (marks.some((m) => isUnderstandingLevel(m.level))) understood += weight;
    }
    const because = new Set<string>();
    if (gateFlags.has('unreviewed-agent-code') && item.agentLines > 0) because.add('unreviewed-agent-code');
    for (const f of item.flags) if (gateFlags.has(f.code) || explainedFlags.has(f.code)) because.add(f.code);
    if (because.size === 0) continue;
    const required: MarkLevel = [...because].some((c) => explainedFlags.has(c)) ? 'explained' : policy.require;
    const satisfiedBy = [...new Set(marks.filter((m) => compareLevels(m.level, required) >= 0).map((m) => m.engineer))].sort();
    gated.push({
      order: item.order,
      symbol: item.symbol,
      file: item.file,
      line: item.line,
      endLine: item.line !== null ? (head?.endLine ?? item.line) : null,
      required,
      because: [...because].sort(),
      satisfiedBy,
      pass: satisfiedBy.length > 0,
    });
  }
  const failing = gated.filter((g) => !g.pass);
  const debt = round1(total - understood);
  const coverage = total === 0 ? 1 : Math.round((understood / total) * 1000) / 1000;
  const maxDebt = policy['max-debt'] === null ? null : { limit: policy['max-debt'], pass: debt <= policy['max-debt'] };
  const minCoverage = policy['min-coverage'] === null ? null : { limit: policy['min-coverage'], pass: coverage >= policy['min-coverage'] };
  return {
    pass: failing.length === 0 && (maxDebt?.pass ?? true) && (minCoverage?.pass ?? true),
    gated,
    failing,
    ignored: ignoredCount,
    debt,
    coverage,
    effortMinutes: checklist.effortMinutes,
    unreviewed: failing.length,
    maxDebt,
    minCoverage,
  };
}
