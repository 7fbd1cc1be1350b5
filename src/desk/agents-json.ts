/** The scorecard's JSON contract (`grasp agents --json`, GET /api/agents): one entry per agent, its directories nested. */
import type { Scorecard } from '../core/scorecard.ts';
import type { AgentScorecards } from './agents.ts';

const r4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

function entry(s: Scorecard) {
  return {
    agent: s.agent,
    area: s.area,
    commits: s.commits,
    agentLines: s.agentLines,
    share: r4(s.share),
    churn14d: r4(s.churn14d),
    churn30d: r4(s.churn30d),
    reverts: s.reverts,
    coverage: r4(s.coverage),
    rubberStamps: s.rubberStamps,
    flagsPer100Lines: s.flagsPer100Lines === null ? null : Math.round(s.flagsPer100Lines * 100) / 100,
    depth: s.depth,
    reasons: s.reasons,
    basis: { ...s.basis, weight: Math.round(s.basis.weight * 10) / 10 },
  };
}

export function scorecardJson(cards: AgentScorecards) {
  return cards.agents.map((a) => ({ ...entry(a), areas: cards.areas.filter((x) => x.agent === a.agent).map(entry) }));
}
