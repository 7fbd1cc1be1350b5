import { describe, expect, it } from 'vitest';
import {
  agentWeight,
  complexityWeight,
  coverage,
  deriveUnderstanding,
  soleHumanAuthor,
  symbolDebt,
  totalDebt,
  type DebtSymbol,
  type SymbolMarkState,
} from '../../src/core/debt.ts';

const ADA = 1;
const BOB = 2;
const emailOwner = new Map([
  ['ada@example.com', ADA],
  ['ada@home.example', ADA],
  ['bob@example.com', BOB],
]);

function sym(id: number, over: Partial<DebtSymbol> = {}): DebtSymbol {
  return { id, repoId: 1, file: `src/f${id}.ts`, name: `f${id}`, hash: `h${id}`, complexity: 1, agentLines: 10, humanLines: 0, authors: ['ada@example.com'], ...over };
}

describe('complexity weight', () => {
  it('is 1 + log2(complexity): 1 for straight code, 3 at 4, 4 at 8', () => {
    expect(complexityWeight(1)).toBe(1);
    expect(complexityWeight(2)).toBe(2);
    expect(complexityWeight(4)).toBe(3);
    expect(complexityWeight(8)).toBe(4);
    expect(complexityWeight(12)).toBeCloseTo(1 + Math.log2(12), 10);
  });
  it('treats nonsense complexity as 1', () => {
    expect(complexityWeight(0)).toBe(1);
    expect(complexityWeight(-5)).toBe(1);
    expect(complexityWeight(Number.NaN)).toBe(1);
  });
  it('weights agent lines only', () => {
    expect(agentWeight({ agentLines: 42, complexity: 4 })).toBe(126);
    expect(agentWeight({ agentLines: 0, complexity: 16 })).toBe(0);
  });
});

describe('sole human author', () => {
  it('is the engineer owning every author email of an agent-free version, across their aliases', () => {
    expect(soleHumanAuthor({ agentLines: 0, humanLines: 5, authors: ['ada@example.com', 'ADA@home.example'] }, emailOwner)).toBe(ADA);
  });
  it('is nobody when an agent wrote a line, two people wrote it, or an author is unlinked', () => {
    expect(soleHumanAuthor({ agentLines: 1, humanLines: 5, authors: ['ada@example.com'] }, emailOwner)).toBeNull();
    expect(soleHumanAuthor({ agentLines: 0, humanLines: 5, authors: ['ada@example.com', 'bob@example.com'] }, emailOwner)).toBeNull();
    expect(soleHumanAuthor({ agentLines: 0, humanLines: 5, authors: ['ada@example.com', 'stranger@example.com'] }, emailOwner)).toBeNull();
    expect(soleHumanAuthor({ agentLines: 0, humanLines: 0, authors: ['ada@example.com'] }, emailOwner)).toBeNull();
    expect(soleHumanAuthor({ agentLines: 0, humanLines: 3, authors: [] }, emailOwner)).toBeNull();
  });
});

describe('understanding', () => {
  const symbols = [sym(1), sym(2), sym(3, { agentLines: 0, humanLines: 4, authors: ['bob@example.com'] }), sym(4)];
  const states: SymbolMarkState[] = [
    { engineerId: ADA, symbolId: 1, level: 'reviewed', stale: false },
    { engineerId: BOB, symbolId: 1, level: 'viewed', stale: false },
    { engineerId: BOB, symbolId: 2, level: 'explained', stale: true },
    { engineerId: ADA, symbolId: 2, level: 'viewed', stale: true },
    { engineerId: ADA, symbolId: 4, level: 'explained', stale: false },
    { engineerId: BOB, symbolId: 3, level: 'viewed', stale: false },
    { engineerId: ADA, symbolId: 99, level: 'reviewed', stale: false },
  ];
  const u = deriveUnderstanding(symbols, states, emailOwner);

  it('counts fresh reviewed / explained marks and sole authorship, not views or stale marks', () => {
    expect([...u.get(1)!.understoodBy]).toEqual([ADA]);
    expect([...u.get(1)!.viewedBy]).toEqual([BOB]);
    expect(u.get(2)!.understoodBy.size).toBe(0);
    expect([...u.get(2)!.staleBy].sort()).toEqual([ADA, BOB]);
    expect([...u.get(2)!.staleUnderstandingBy]).toEqual([BOB]);
    expect([...u.get(3)!.understoodBy]).toEqual([BOB]);
    expect(u.get(3)!.authoredBy).toBe(BOB);
    expect(u.get(3)!.viewedBy.size).toBe(0); // the author's own view is not listed separately
    expect([...u.get(4)!.understoodBy]).toEqual([ADA]);
    expect(u.has(99)).toBe(false);
  });

  it('debt is the agent weight only while nobody understands the symbol', () => {
    expect(symbolDebt(symbols[0]!, u.get(1))).toBe(0);
    expect(symbolDebt(symbols[1]!, u.get(2))).toBe(10);
    expect(symbolDebt({ agentLines: 6, complexity: 8 }, undefined)).toBe(24);
    expect(totalDebt(symbols, u)).toBe(10);
  });

  it('team coverage = understood weight / agent weight; personal coverage counts only my understanding', () => {
    const weighted = [sym(1, { agentLines: 10, complexity: 4 }), sym(2, { agentLines: 20, complexity: 1 }), sym(4, { agentLines: 5, complexity: 2 })];
    const w = deriveUnderstanding(
      weighted,
      [
        { engineerId: ADA, symbolId: 1, level: 'reviewed', stale: false },
        { engineerId: BOB, symbolId: 4, level: 'reviewed', stale: false },
      ],
      emailOwner,
    );
    // weights: 10*3 = 30, 20*1 = 20, 5*2 = 10; total 60
    expect(coverage(weighted, w)).toEqual({ covered: 40, total: 60, ratio: 40 / 60 });
    expect(coverage(weighted, w, ADA).ratio).toBeCloseTo(30 / 60, 12);
    expect(coverage(weighted, w, BOB).ratio).toBeCloseTo(10 / 60, 12);
  });

  it('coverage of code without agent lines is 1 (nothing to understand)', () => {
    const human = [sym(7, { agentLines: 0, humanLines: 9 })];
    expect(coverage(human, deriveUnderstanding(human, [], emailOwner)).ratio).toBe(1);
    expect(coverage([], new Map()).ratio).toBe(1);
  });
});
