/**
 * Knowledge islands, the pure part: code whose understanding rests on one engineer (a bus factor
 * of 1 counted in understanding, not in authorship), and code whose only understanding is stale.
 * Formulas with worked examples: docs/model.md.
 */
import { complexityWeight, type Understanding } from './debt.ts';
import { directoryOf, type SymbolFacts } from './hotspots.ts';

export type IslandSymbolInput = SymbolFacts;

/** What losing the symbol's understanding would cost: all its lines, complexity-weighted. */
export function islandWeight(s: Pick<IslandSymbolInput, 'agentLines' | 'humanLines' | 'complexity'>): number {
  return (Math.max(0, s.agentLines) + Math.max(0, s.humanLines)) * complexityWeight(s.complexity);
}

export interface SymbolIsland extends IslandSymbolInput {
  weight: number;
  /** The one engineer who understands it. */
  engineerId: number;
  /** True when that understanding is authorship alone (no mark by anyone else). */
  byAuthorship: boolean;
}

export interface StaleOnlySymbol extends IslandSymbolInput {
  weight: number;
  /** Engineers who understood an earlier version (mark >= reviewed, now stale). */
  staleEngineerIds: number[];
}

export interface DirectoryIsland {
  directory: string;
  engineerId: number;
  /** Symbols in the directory the engineer understands / all symbols in it. */
  understoodSymbols: number;
  symbols: number;
  /** Weight of what the engineer understands there. */
  weight: number;
}

export interface StaleOnlyDirectory {
  directory: string;
  staleEngineerIds: number[];
  symbols: number;
  weight: number;
}

export interface Islands {
  symbols: SymbolIsland[];
  staleOnly: StaleOnlySymbol[];
  directories: DirectoryIsland[];
  staleOnlyDirectories: StaleOnlyDirectory[];
}

const sortIds = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
const heaviest = <T extends { weight: number }>(key: (x: T) => string) => (a: T, b: T) => b.weight - a.weight || key(a).localeCompare(key(b));

/**
 * - symbol island: exactly one engineer understands the current version;
 * - stale-only symbol: nobody understands the current version, but someone understood an earlier one;
 * - directory island: among all symbols directly in the directory, exactly one engineer understands any;
 * - stale-only directory: nobody understands any current symbol in it, but someone understood an earlier version of one.
 * Symbols nobody ever understood are debt, not islands. Lists are heaviest first, `limit` each.
 */
export function findIslands(
  symbols: readonly IslandSymbolInput[],
  understanding: ReadonlyMap<number, Pick<Understanding, 'understoodBy' | 'authoredBy' | 'staleUnderstandingBy'>>,
  opts: { limit?: number } = {},
): Islands {
  const limit = opts.limit ?? Infinity;
  const out: Islands = { symbols: [], staleOnly: [], directories: [], staleOnlyDirectories: [] };
  const dirs = new Map<string, { understanders: Map<number, { symbols: number; weight: number }>; stale: Set<number>; symbols: number; weight: number }>();
  for (const s of symbols) {
    const u = understanding.get(s.id);
    const weight = islandWeight(s);
    const dirPath = directoryOf(s.file);
    const dir = dirs.get(dirPath) ?? { understanders: new Map(), stale: new Set<number>(), symbols: 0, weight: 0 };
    dirs.set(dirPath, dir);
    dir.symbols += 1;
    dir.weight += weight;
    const by = u?.understoodBy ?? new Set<number>();
    for (const id of by) {
      const e = dir.understanders.get(id) ?? { symbols: 0, weight: 0 };
      e.symbols += 1;
      e.weight += weight;
      dir.understanders.set(id, e);
    }
    for (const id of u?.staleUnderstandingBy ?? []) dir.stale.add(id);
    if (by.size === 1) {
      const engineerId = [...by][0]!;
      out.symbols.push({ ...s, weight, engineerId, byAuthorship: u?.authoredBy === engineerId });
    } else if (by.size === 0 && (u?.staleUnderstandingBy.size ?? 0) > 0) {
      out.staleOnly.push({ ...s, weight, staleEngineerIds: sortIds(u!.staleUnderstandingBy) });
    }
  }
  for (const [directory, d] of dirs) {
    if (d.understanders.size === 1) {
      const [engineerId, e] = [...d.understanders][0]!;
      out.directories.push({ directory, engineerId, understoodSymbols: e.symbols, symbols: d.symbols, weight: e.weight });
    } else if (d.understanders.size === 0 && d.stale.size > 0) {
      out.staleOnlyDirectories.push({ directory, staleEngineerIds: sortIds(d.stale), symbols: d.symbols, weight: d.weight });
    }
  }
  const label = (s: { file: string; name: string }) => `${s.file}#${s.name}`;
  out.symbols = out.symbols.sort(heaviest<SymbolIsland>(label)).slice(0, limit);
  out.staleOnly = out.staleOnly.sort(heaviest<StaleOnlySymbol>(label)).slice(0, limit);
  out.directories = out.directories.sort(heaviest((d) => d.directory)).slice(0, limit);
  out.staleOnlyDirectories = out.staleOnlyDirectories.sort(heaviest((d) => d.directory)).slice(0, limit);
  return out;
}
