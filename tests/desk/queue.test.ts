import { describe, expect, it } from 'vitest';
import { buildQueue, workDebt, type QueueItemFacts, type QueueWorkFacts } from '../../src/desk/queue.ts';

const NOW = 1_800_000_000;
const item = (over: Partial<QueueItemFacts>): QueueItemFacts => ({
  symbolId: 1,
  file: 'src/cart.ts',
  name: 'Cart.total',
  hash: 'h2',
  agentLines: 10,
  complexity: 4,
  flags: [],
  understood: false,
  mine: null,
  ...over,
});
const work = (over: Partial<QueueWorkFacts>): QueueWorkFacts => ({
  repo: 'shop',
  number: 1,
  branch: 'claude/a',
  title: 't',
  author: 'claude[bot]',
  agent: 'claude',
  headSha: 'abc',
  lastPushAt: NOW - 3600,
  awaitsMe: false,
  effortMinutes: 10,
  whoToAsk: [],
  gate: null,
  items: [],
  ...over,
});

describe('review queue', () => {
  it('debt counts agent lines nobody understands, weighted by complexity; deleted and understood items add none', () => {
    expect(workDebt([item({}), item({ understood: true }), item({ hash: null }), item({ agentLines: 0 })])).toBeCloseTo(30);
  });

  it('ranks by urgency, most urgent first, and explains each rank', () => {
    const q = buildQueue(
      [
        work({ number: 1, items: [item({ agentLines: 2 })] }),
        work({ number: 2, items: [item({ symbolId: 9, name: 'risky', agentLines: 40, flags: ['security'] })] }),
        work({ number: 3, awaitsMe: true, items: [item({ symbolId: 10, name: 'mine', agentLines: 2 })] }),
      ],
      { as: 'ada', now: NOW },
    );
    expect(q.prs.map((p) => p.number)).toEqual([2, 3, 1]);
    for (const p of q.prs) expect(p.urgency).toBeCloseTo(Math.round(p.why.value * p.why.waiting * p.why.mine * p.why.size * 10) / 10);
    expect(q.prs[0]!.flagCodes).toEqual(['security']);
  });

  it('lists only-new-for-me per symbol: never marked, or marked on an older version', () => {
    const q = buildQueue(
      [
        work({
          items: [
            item({ name: 'a', symbolId: 1, mine: { hash: 'h2', level: 'reviewed' } }),
            item({ name: 'b', symbolId: 2, mine: { hash: 'old', level: 'reviewed' } }),
            item({ name: 'c', symbolId: 3 }),
          ],
        }),
      ],
      { as: 'ada', now: NOW },
    );
    expect(q.prs[0]!.newForMe).toEqual([
      { symbol: 'b', file: 'src/cart.ts', since: 'stale' },
      { symbol: 'c', file: 'src/cart.ts', since: 'never' },
    ]);
    expect(buildQueue([work({ items: [item({})] })], { as: null, now: NOW }).prs[0]!.newForMe).toEqual([]);
  });

  it('shows collisions on both pieces of work; branches stand in for PRs; same ids in two repositories do not collide', () => {
    const q = buildQueue(
      [
        work({ number: null, branch: 'claude/x', items: [item({})] }),
        work({ number: null, branch: 'codex/y', agent: 'codex', items: [item({})] }),
        work({ number: null, branch: 'copilot/z', agent: 'copilot', items: [item({ symbolId: 50, file: 'src/other.ts', name: 'o' })] }),
        work({ repo: 'api', number: null, branch: 'claude/w', items: [item({})] }),
      ],
      { as: null, now: NOW },
    );
    const byBranch = new Map(q.prs.map((p) => [p.branch, p.collisions]));
    expect(byBranch.get('claude/x')).toEqual([{ symbol: 'Cart.total', file: 'src/cart.ts', prs: [], branches: ['claude/x', 'codex/y'], agents: ['claude', 'codex'] }]);
    expect(byBranch.get('codex/y')).toHaveLength(1);
    expect(byBranch.get('copilot/z')).toEqual([]);
    expect(byBranch.get('claude/w')).toEqual([]);
    expect(q.collisions).toHaveLength(1);
  });
});
