import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refsReaching, type HistoryWalk, type RefTip } from '../../src/core/ref-reach.ts';

/** A random history: commit i's parents are earlier commits; listed children first, like --topo-order. */
const historyArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(
    fc.array(fc.uniqueArray(fc.nat(), { maxLength: 2 }), { minLength: n, maxLength: n }),
    fc.array(fc.record({ name: fc.constantFrom('main', 'claude/x', 'feat/y', 'origin/z'), at: fc.nat({ max: n - 1 }) }), { maxLength: 6 }),
  ).map(([raw, refs]) => {
    const shas = Array.from({ length: n }, (_, i) => `c${i}`);
    const parents = new Map(shas.map((sha, i) => [sha, i === 0 ? [] : [...new Set(raw[i]!.map((p) => `c${p % i}`))]]));
    const walk: HistoryWalk = { order: [...shas].reverse(), parents };
    const tips: RefTip[] = refs.map((r) => ({ name: r.name, sha: shas[r.at]! }));
    return { walk, tips };
  }),
);

/** The obvious answer: a walk from every tip, one by one. */
function naive(walk: HistoryWalk, tips: readonly RefTip[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const t of tips) {
    const stack = [t.sha];
    const seen = new Set<string>();
    while (stack.length) {
      const sha = stack.pop()!;
      if (seen.has(sha) || !walk.parents.has(sha)) continue;
      seen.add(sha);
      out.set(sha, (out.get(sha) ?? new Set()).add(t.name));
      stack.push(...walk.parents.get(sha)!);
    }
  }
  return new Map([...out].map(([sha, names]) => [sha, [...names].sort()]));
}

describe('refsReaching', () => {
  it('gives each commit exactly the refs a walk from every tip finds', () => {
    fc.assert(
      fc.property(historyArb, ({ walk, tips }) => {
        const got = new Map([...refsReaching(walk, tips)].map(([sha, names]) => [sha, [...names]]));
        expect(got).toEqual(naive(walk, tips));
      }),
      { numRuns: 500 },
    );
  });

  it('stops at the walk: parents outside it (on the excluded line) get no entry', () => {
    const walk: HistoryWalk = { order: ['b2', 'b1'], parents: new Map([['b2', ['b1']], ['b1', ['m1']]]) };
    expect(refsReaching(walk, [{ name: 'claude/fix', sha: 'b2' }])).toEqual(new Map([['b2', ['claude/fix']], ['b1', ['claude/fix']]]));
  });

  it('shares one array between commits reached by the same refs (memory linear in commits)', () => {
    const n = 2000;
    const order = Array.from({ length: n }, (_, i) => `c${n - 1 - i}`);
    const parents = new Map(order.map((sha) => [sha, sha === 'c0' ? [] : [`c${Number(sha.slice(1)) - 1}`]]));
    const tips = Array.from({ length: 300 }, (_, i) => ({ name: `agent/${i}`, sha: `c${n - 1}` }));
    const out = refsReaching({ order, parents }, tips);
    expect(out.size).toBe(n);
    expect(new Set(out.values()).size).toBe(1);
    expect(out.get('c0')).toHaveLength(300);
  });
});
