import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { urgency, urgencyParts } from '../../src/core/urgency.ts';
import { collisionsOf, findCollisions, type WorkChanges } from '../../src/core/collisions.ts';
import { churnOf, commitSurvival, type FileVersion } from '../../src/core/churn.ts';
import { revertedShas, scorecard, type AgentFacts } from '../../src/core/scorecard.ts';

const DAY = 86_400;
const NOW = 1_800_000_000;

describe('urgency', () => {
  it('matches the worked example of docs/model.md', () => {
    // debt 40, 2 flags, last push 48 h ago, awaits me, 15 minutes to read.
    const parts = urgencyParts({ debt: 40, flags: 2, lastPushAt: NOW - 48 * 3600, now: NOW, awaitsMe: true, effortMinutes: 15 });
    expect(parts.value).toBe(60);
    expect(parts.waiting).toBeCloseTo(1 + Math.log2(3), 10);
    expect(parts.mine).toBe(2);
    expect(parts.size).toBeCloseTo(1 / Math.SQRT2, 10);
    expect(parts.urgency).toBeCloseTo(60 * (1 + Math.log2(3)) * 2 / Math.SQRT2, 8);
  });

  it('rises with debt, flags and waiting; awaiting me doubles it; a longer read lowers it', () => {
    const base = { debt: 10, flags: 1, lastPushAt: NOW - 3600, now: NOW, awaitsMe: false, effortMinutes: 10 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }).map((n) => n / 10), fc.nat(50), fc.nat(1000), fc.nat(600), (debt, flags, hours, minutes) => {
        const x = { ...base, debt, flags, lastPushAt: NOW - hours * 3600, effortMinutes: minutes };
        const u = urgency(x);
        expect(urgency({ ...x, debt: debt + 1 })).toBeGreaterThan(u);
        expect(urgency({ ...x, flags: flags + 1 })).toBeGreaterThan(u);
        expect(urgency({ ...x, lastPushAt: NOW - (hours + 1) * 3600 })).toBeGreaterThanOrEqual(u);
        expect(urgency({ ...x, awaitsMe: true })).toBeCloseTo(2 * u, 6);
        if (u > 0) expect(urgency({ ...x, effortMinutes: minutes + 30 })).toBeLessThan(u);
      }),
    );
  });

  it('treats nonsense inputs as zero instead of NaN', () => {
    expect(urgency({ debt: Number.NaN, flags: -3, lastPushAt: NOW + 999, now: NOW, awaitsMe: false, effortMinutes: Number.POSITIVE_INFINITY })).toBe(0);
  });
});

describe('collisions', () => {
  const a: WorkChanges = { number: null, branch: 'claude/cache', agent: 'claude', symbols: [{ symbolId: 7, file: 'src/cart.ts', name: 'Cart.total' }] };
  const b: WorkChanges = { number: null, branch: 'codex/tax', agent: 'codex', symbols: [{ symbolId: 7, file: 'src/cart.ts', name: 'Cart.total' }, { symbolId: 8, file: 'src/cart.ts', name: 'Cart.add' }] };
  const c: WorkChanges = { number: 12, branch: 'copilot/docs', agent: 'copilot', symbols: [{ symbolId: 20, file: 'src/other.ts', name: 'other' }] };

  it('names the shared method with both branches and leaves the third out', () => {
    const found = findCollisions([a, b, c]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ symbol: 'Cart.total', file: 'src/cart.ts', prs: [], branches: ['claude/cache', 'codex/tax'], agents: ['claude', 'codex'] });
    expect(collisionsOf(c, found)).toEqual([]);
    expect(collisionsOf(a, found)).toHaveLength(1);
  });

  it('matches by identity: a renamed symbol (same id) collides, a same-named one in another file does not', () => {
    const renamed: WorkChanges = { number: 3, branch: 'x', agent: null, symbols: [{ symbolId: 7, file: 'src/basket.ts', name: 'Basket.total' }] };
    const homonym: WorkChanges = { number: 4, branch: 'y', agent: null, symbols: [{ symbolId: 99, file: 'src/b.ts', name: 'Cart.total' }] };
    const found = findCollisions([a, renamed, homonym]);
    expect(found).toHaveLength(1);
    expect(found[0]!.prs).toEqual([3]);
    expect(found[0]!.branches).toEqual(['claude/cache']);
  });

  it('two PRs adding the same new function to one file collide by file and name', () => {
    const p1: WorkChanges = { number: 1, branch: 'a', agent: 'claude', symbols: [{ symbolId: null, file: 'src/n.ts', name: 'parse' }] };
    const p2: WorkChanges = { number: 2, branch: 'b', agent: 'claude', symbols: [{ symbolId: null, file: 'src/n.ts', name: 'parse' }] };
    expect(findCollisions([p1, p2]).map((x) => x.prs)).toEqual([[1, 2]]);
    expect(findCollisions([p1, { ...p1 }])).toEqual([]); // the same work twice is not a collision
  });
});

describe('churn', () => {
  const v = (sha: string, at: number, lines: Record<string, number>): FileVersion => ({ sha, at, linesBy: new Map(Object.entries(lines)) });

  it('counts lines rewritten within the window exactly, and ignores commits too young to judge', () => {
    // c1 writes 10 lines on day 0; on day 5, h1 rewrites 4 of them; on day 20, h2 rewrites 3 more.
    const file = [v('c1', NOW - 40 * DAY, { c1: 10 }), v('h1', NOW - 35 * DAY, { c1: 6, h1: 4 }), v('h2', NOW - 20 * DAY, { c1: 3, h1: 4, h2: 3 })];
    const young = [v('c2', NOW - 3 * DAY, { c2: 8 })];
    const survival = commitSurvival([file, young], NOW);
    expect(survival.get('c1')).toMatchObject({ introduced: 10, survived14: 6, survived30: 3 });
    expect(survival.get('c2')).toMatchObject({ introduced: 8, survived14: null, survived30: null });
    const c1 = [survival.get('c1')!, survival.get('c2')!];
    expect(churnOf(c1, 14)).toEqual({ churned: 4, lines: 10, share: 0.4 });
    expect(churnOf(c1, 30)).toEqual({ churned: 7, lines: 10, share: 0.7 });
  });

  it('a deleted file churns every line it still held', () => {
    const file = [v('c1', NOW - 60 * DAY, { c1: 5 }), v('d', NOW - 55 * DAY, {})];
    expect(churnOf(commitSurvival([file], NOW).values(), 14)).toEqual({ churned: 5, lines: 5, share: 1 });
  });

  it('churn is a share between 0 and 1 whatever the history', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ days: fc.nat(90), keep: fc.nat(20), add: fc.nat(20) }), { minLength: 1, maxLength: 12 }), (steps) => {
        let at = NOW - 100 * DAY;
        const versions: FileVersion[] = [];
        let kept = new Map<string, number>();
        steps.forEach((s, i) => {
          at += s.days * 3600;
          const next = new Map<string, number>();
          for (const [sha, n] of kept) next.set(sha, Math.min(n, s.keep));
          next.set(`c${i}`, s.add);
          kept = next;
          versions.push({ sha: `c${i}`, at, linesBy: next });
        });
        const f = churnOf(commitSurvival([versions], NOW).values(), 14);
        expect(f.churned).toBeLessThanOrEqual(f.lines);
        if (f.share !== null) expect(f.share).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('scorecard', () => {
  const facts = (over: Partial<AgentFacts>): AgentFacts => ({
    agent: 'claude',
    area: null,
    commits: 20,
    agentLines: 1000,
    allLines: 2000,
    churn14: { churned: 20, lines: 1000, share: 0.02 },
    churn30: { churned: 50, lines: 1000, share: 0.05 },
    reverts: 0,
    understoodWeight: 900,
    weight: 1000,
    approvals: 5,
    rubberStamps: 0,
    flags: 2,
    ...over,
  });

  it('suggests a light review for a steady, reviewed agent, with the numbers behind it', () => {
    const s = scorecard(facts({}));
    expect(s.depth).toBe('light');
    expect(s.share).toBe(0.5);
    expect(s.flagsPer100Lines).toBeCloseTo(0.2);
    expect(s.reasons.join(' | ')).toContain('churn within 30 days 5% (50 of 1000 lines)');
  });

  it('suggests a deep review on high churn, on reverts, on many flags, and on rubber stamps with low coverage', () => {
    expect(scorecard(facts({ churn30: { churned: 400, lines: 1000, share: 0.4 } })).depth).toBe('deep');
    expect(scorecard(facts({ reverts: 2 })).reasons).toContain('2 of 20 commits reverted');
    expect(scorecard(facts({ flags: 30 })).depth).toBe('deep');
    expect(scorecard(facts({ rubberStamps: 1, understoodWeight: 100 })).depth).toBe('deep');
    expect(scorecard(facts({ rubberStamps: 1 })).depth).toBe('light'); // covered code: a quick approval is fine
  });

  it('says normal when there is too little history, and why', () => {
    const s = scorecard(facts({ commits: 3 }));
    expect(s.depth).toBe('normal');
    expect(s.reasons[0]).toMatch(/only 3 commits/);
  });

  it('finds the shas a revert message names', () => {
    expect(revertedShas('Revert "x"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.')).toEqual(['0123456789abcdef0123456789abcdef01234567']);
    expect(revertedShas('revert the thing')).toEqual([]);
  });
});
