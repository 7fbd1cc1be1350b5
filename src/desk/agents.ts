/**
 * The agent scorecard from counted facts: groups commits, forward-blame lineages, current symbols,
 * approvals and flags by agent (and agent x top-level directory), then lets src/core/scorecard.ts
 * turn each group into shares and a review depth. Pure: src/db/repo/desk.ts loads the facts.
 */
import { churnOf, commitSurvival, type CommitLines, type FileVersion } from '../core/churn.ts';
import { scorecard, type AgentFacts, type Scorecard } from '../core/scorecard.ts';

export interface ScoredCommit {
  sha: string;
  /** The agent that wrote it, null for a human or bot commit. */
  agent: string | null;
  at: number;
  reverted: boolean;
  /** Added lines per top-level directory. */
  addedByArea: ReadonlyMap<string, number>;
}

export interface Lineage {
  area: string;
  versions: readonly FileVersion[];
}

export interface ScoredSymbol {
  area: string;
  understood: boolean;
  /** Complexity-weighted current lines per agent. */
  weightByAgent: ReadonlyMap<string, number>;
}

export interface ScorecardFacts {
  commits: readonly ScoredCommit[];
  lineages: readonly Lineage[];
  symbols: readonly ScoredSymbol[];
  /** Approvals of PRs an agent wrote. */
  approvals: readonly { agent: string; rubberStamp: boolean }[];
  /** Risk flags counted on agents' changed symbols. */
  flags: readonly { agent: string; area: string; count: number }[];
}

export interface AgentScorecards {
  agents: Scorecard[];
  areas: Scorecard[];
}

/** 'src/a/b.ts' -> 'src', 'README.md' -> '.' */
export function topLevelArea(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

function emptyFacts(agent: string, area: string | null): AgentFacts {
  const none = { churned: 0, lines: 0, share: null };
  return { agent, area, commits: 0, agentLines: 0, allLines: 0, churn14: none, churn30: none, reverts: 0, understoodWeight: 0, weight: 0, approvals: 0, rubberStamps: 0, flags: 0 };
}

export function buildScorecards(facts: ScorecardFacts, now: number): AgentScorecards {
  const agentOf = new Map<string, string>();
  for (const c of facts.commits) if (c.agent) agentOf.set(c.sha, c.agent);

  const groups = new Map<string, AgentFacts>();
  const group = (agent: string, area: string | null) => {
    const key = `${agent}\0${area ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = emptyFacts(agent, area)));
    return g;
  };

  // Denominators of `share`: everyone's added lines, overall and per area.
  let allLines = 0;
  const allByArea = new Map<string, number>();
  for (const c of facts.commits) {
    for (const [area, n] of c.addedByArea) {
      allLines += n;
      allByArea.set(area, (allByArea.get(area) ?? 0) + n);
    }
  }
  for (const c of facts.commits) {
    if (!c.agent) continue;
    const whole = group(c.agent, null);
    whole.commits++;
    if (c.reverted) whole.reverts++;
    for (const [area, n] of c.addedByArea) {
      whole.agentLines += n;
      const g = group(c.agent, area);
      g.commits++;
      if (c.reverted) g.reverts++;
      g.agentLines += n;
    }
  }
  for (const g of groups.values()) g.allLines = g.area === null ? allLines : (allByArea.get(g.area) ?? 0);

  // Churn: per agent commit, per area, from the lineages of that area.
  const survival = new Map<string, CommitLines[]>();
  const byArea = new Map<string, FileVersion[][]>();
  for (const l of facts.lineages) {
    const list = byArea.get(l.area) ?? [];
    list.push([...l.versions]);
    byArea.set(l.area, list);
  }
  for (const [area, lineages] of byArea) {
    for (const lines of commitSurvival(lineages, now).values()) {
      const agent = agentOf.get(lines.sha);
      if (!agent) continue;
      for (const key of [`${agent}\0`, `${agent}\0${area}`]) {
        const list = survival.get(key) ?? [];
        list.push(lines);
        survival.set(key, list);
      }
    }
  }

  for (const s of facts.symbols) {
    for (const [agent, weight] of s.weightByAgent) {
      for (const g of [group(agent, null), group(agent, s.area)]) {
        g.weight += weight;
        if (s.understood) g.understoodWeight += weight;
      }
    }
  }
  for (const a of facts.approvals) {
    const g = group(a.agent, null);
    g.approvals++;
    if (a.rubberStamp) g.rubberStamps++;
  }
  for (const f of facts.flags) {
    group(f.agent, null).flags += f.count;
    group(f.agent, f.area).flags += f.count;
  }

  const agents: Scorecard[] = [];
  const areas: Scorecard[] = [];
  for (const [key, g] of groups) {
    const lines = survival.get(key) ?? [];
    g.churn14 = churnOf(lines, 14);
    g.churn30 = churnOf(lines, 30);
    (g.area === null ? agents : areas).push(scorecard(g));
  }
  const order = (a: Scorecard, b: Scorecard) => b.agentLines - a.agentLines || a.agent.localeCompare(b.agent) || (a.area ?? '').localeCompare(b.area ?? '');
  return { agents: agents.sort(order), areas: areas.sort(order) };
}
