import { describe, expect, it } from 'vitest';
import { deriveUnderstanding, type SymbolMarkState } from '../../src/core/debt.ts';
import { findIslands, islandWeight, type IslandSymbolInput } from '../../src/core/islands.ts';

const ADA = 1;
const BOB = 2;
const CY = 3;
const emailOwner = new Map([
  ['ada@example.com', ADA],
  ['bob@example.com', BOB],
]);

function sym(id: number, file: string, over: Partial<IslandSymbolInput & { authors: string[] }> = {}) {
  return {
    id,
    repoId: 1,
    file,
    name: `s${id}`,
    kind: 'function',
    hash: `h${id}`,
    startLine: 1,
    endLine: 5,
    complexity: 1,
    agentLines: 4,
    humanLines: 0,
    authors: ['ada@example.com'],
    ...over,
  };
}

const fresh = (engineerId: number, symbolId: number, level: SymbolMarkState['level'] = 'reviewed'): SymbolMarkState => ({ engineerId, symbolId, level, stale: false });
const stale = (engineerId: number, symbolId: number, level: SymbolMarkState['level'] = 'reviewed'): SymbolMarkState => ({ engineerId, symbolId, level, stale: true });

describe('knowledge islands', () => {
  it('weights all lines of a symbol by complexity', () => {
    expect(islandWeight({ agentLines: 3, humanLines: 5, complexity: 4 })).toBe(24);
  });

  it('finds symbols understood by exactly one engineer, by mark or by sole authorship', () => {
    const symbols = [
      sym(1, 'src/a/x.ts', { complexity: 4 }), // ada only: island, weight 4 * 3 = 12
      sym(2, 'src/a/x.ts'), // ada and bob: not an island
      sym(3, 'src/b/y.ts', { agentLines: 0, humanLines: 6, authors: ['bob@example.com'] }), // bob wrote it alone: island by authorship, weight 6
      sym(4, 'src/b/y.ts'), // nobody: debt, not an island
      sym(5, 'src/c/z.ts'), // ada viewed it only: not understood, not an island
    ];
    const u = deriveUnderstanding(symbols, [fresh(ADA, 1), fresh(ADA, 2), fresh(BOB, 2, 'explained'), fresh(ADA, 5, 'viewed')], emailOwner);
    const found = findIslands(symbols, u);
    expect(found.symbols.map((s) => [s.id, s.engineerId, s.byAuthorship, s.weight])).toEqual([
      [1, ADA, false, 12],
      [3, BOB, true, 6],
    ]);
    expect(found.staleOnly).toEqual([]);
    // src/a: ada and bob understand something; src/b: only bob; src/c: nobody
    expect(found.directories).toEqual([{ directory: 'src/b', engineerId: BOB, understoodSymbols: 1, symbols: 2, weight: 6 }]);
  });

  it('finds symbols and directories whose only understanding is stale', () => {
    const symbols = [sym(1, 'lib/p.ts', { complexity: 2 }), sym(2, 'lib/p.ts'), sym(3, 'app/q.ts'), sym(4, 'app/q.ts')];
    const u = deriveUnderstanding(
      symbols,
      [stale(ADA, 1), stale(CY, 1, 'explained'), stale(BOB, 2, 'viewed'), stale(ADA, 3), fresh(BOB, 4)],
      emailOwner,
    );
    const found = findIslands(symbols, u);
    expect(found.staleOnly.map((s) => [s.id, s.staleEngineerIds, s.weight])).toEqual([
      [1, [ADA, CY], 8],
      [3, [ADA], 4],
    ]);
    // symbol 2's only stale mark is a view: not understanding, so not listed
    expect(found.staleOnlyDirectories).toEqual([{ directory: 'lib', staleEngineerIds: [ADA, CY], symbols: 2, weight: 12 }]);
    // app/ has bob's fresh understanding of symbol 4, so it is a one-engineer directory instead
    expect(found.directories).toEqual([{ directory: 'app', engineerId: BOB, understoodSymbols: 1, symbols: 2, weight: 4 }]);
    expect(found.symbols.map((s) => s.id)).toEqual([4]);
  });

  it('a fresh understanding by a second engineer ends the island; limit caps each list', () => {
    const symbols = [sym(1, 'a/x.ts', { complexity: 8 }), sym(2, 'b/x.ts', { complexity: 2 }), sym(3, 'c/x.ts')];
    const one = findIslands(symbols, deriveUnderstanding(symbols, [fresh(ADA, 1), fresh(ADA, 2), fresh(ADA, 3)], emailOwner), { limit: 2 });
    expect(one.symbols.map((s) => s.id)).toEqual([1, 2]);
    expect(one.directories.map((d) => d.directory)).toEqual(['a', 'b']);
    const two = findIslands(symbols, deriveUnderstanding(symbols, [fresh(ADA, 1), fresh(BOB, 1), fresh(ADA, 2), fresh(ADA, 3)], emailOwner));
    expect(two.symbols.map((s) => s.id)).toEqual([2, 3]);
  });
});
