import { describe, expect, it } from 'vitest';
import { buildScorecards, topLevelArea, type ScorecardFacts } from '../../src/desk/agents.ts';

const DAY = 86_400;
const NOW = 1_800_000_000;

describe('agent scorecards', () => {
  const facts: ScorecardFacts = {
    commits: [
      { sha: 'a1', agent: 'claude', at: NOW - 60 * DAY, reverted: false, addedByArea: new Map([['src', 10]]) },
      { sha: 'a2', agent: 'claude', at: NOW - 50 * DAY, reverted: true, addedByArea: new Map([['test', 5]]) },
      { sha: 'h1', agent: null, at: NOW - 55 * DAY, reverted: false, addedByArea: new Map([['src', 5]]) },
    ],
    lineages: [
      {
        area: 'src',
        versions: [
          { sha: 'a1', at: NOW - 60 * DAY, linesBy: new Map([['a1', 10]]) },
          // a week later a human rewrites 4 of the agent's 10 lines
          { sha: 'h1', at: NOW - 53 * DAY, linesBy: new Map([['a1', 6], ['h1', 5]]) },
        ],
      },
      { area: 'test', versions: [{ sha: 'a2', at: NOW - 50 * DAY, linesBy: new Map([['a2', 5]]) }] },
    ],
    symbols: [
      { area: 'src', understood: true, weightByAgent: new Map([['claude', 12]]) },
      { area: 'test', understood: false, weightByAgent: new Map([['claude', 4]]) },
    ],
    approvals: [{ agent: 'claude', rubberStamp: true }, { agent: 'claude', rubberStamp: false }],
    flags: [{ agent: 'claude', area: 'src', count: 1 }],
  };

  it('counts each agent with its denominators: share, churn, reverts, coverage, stamps, flags', () => {
    const { agents } = buildScorecards(facts, NOW);
    expect(agents).toHaveLength(1);
    const c = agents[0]!;
    expect(c).toMatchObject({ agent: 'claude', commits: 2, agentLines: 15, reverts: 1, rubberStamps: 1 });
    expect(c.share).toBeCloseTo(15 / 20);
    expect(c.churn14d).toBeCloseTo(4 / 15); // 4 of a1's 10 lines rewritten within a week; a2's 5 lines survive
    expect(c.basis.churn14).toEqual({ churned: 4, lines: 15, share: 4 / 15 });
    expect(c.coverage).toBeCloseTo(12 / 16);
    expect(c.flagsPer100Lines).toBeCloseTo(100 / 15);
    expect(c.depth).toBe('deep'); // 6.7 flags per 100 lines
  });

  it('splits the same agent by top-level directory', () => {
    const { areas } = buildScorecards(facts, NOW);
    const src = areas.find((a) => a.area === 'src')!;
    const test = areas.find((a) => a.area === 'test')!;
    expect(src).toMatchObject({ commits: 1, agentLines: 10, reverts: 0, churn14d: 0.4 });
    expect(src.share).toBeCloseTo(10 / 15);
    expect(test).toMatchObject({ commits: 1, agentLines: 5, reverts: 1, churn14d: 0, coverage: 0 });
  });

  it('names top-level areas', () => {
    expect(topLevelArea('src/a/b.ts')).toBe('src');
    expect(topLevelArea('README.md')).toBe('.');
  });
});
