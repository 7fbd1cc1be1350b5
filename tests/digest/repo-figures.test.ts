/**
 * The digest's per-repository rows as a property: for any symbols, understanding and commits,
 * each row equals the model's formulas applied to that repository's symbols alone (a full sort
 * for the top items, core's coverage and debt), and the total row equals them over everything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentWeight, coverage, symbolDebt, totalDebt, type Understanding } from '../../src/core/debt.ts';
import type { CommitActivity } from '../../src/db/repo/digest.ts';
import { repoFigures, TOP_REPO_ITEMS } from '../../src/digest/repos.ts';
import type { Snapshot, SnapshotSymbol } from '../../src/digest/snapshot.ts';

const START = 1_000;
const bounds = { prevStart: 0, start: START, end: 2_000 };
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

const symbolArb = fc.record({
  repoId: fc.integer({ min: 1, max: 3 }),
  file: fc.constantFrom('a.ts', 'b.ts', 'src/c.ts'),
  name: fc.constantFrom('f', 'g', 'h', 'k'),
  complexity: fc.integer({ min: 1, max: 8 }),
  agentLines: fc.integer({ min: 0, max: 6 }),
  humanLines: fc.integer({ min: 0, max: 6 }),
  understood: fc.boolean(),
  understoodBefore: fc.boolean(),
  lastAgentChangeAt: fc.option(fc.integer({ min: 0, max: 1_999 }), { nil: null }),
});
const activityArb = fc.record({ repoId: fc.integer({ min: 1, max: 3 }), kind: fc.constantFrom('agent' as const, 'human' as const), at: fc.integer({ min: 0, max: 1_999 }), lines: fc.integer({ min: 0, max: 50 }) });

describe('repoFigures', () => {
  it('matches the model per repository and in total, whatever the symbols', () => {
    fc.assert(
      fc.property(fc.array(symbolArb, { maxLength: 40 }), fc.array(activityArb, { maxLength: 20 }), (raw, acts) => {
        const symbols: SnapshotSymbol[] = raw.map((r, i) => ({
          id: i + 1, repoId: r.repoId, file: r.file, name: `${r.name}${i % 3}`, kind: 'function', hash: `h${i}`, startLine: 1, endLine: 5,
          complexity: r.complexity, agentLines: r.agentLines, humanLines: r.humanLines, authors: [], changes: [], lastAgentChangeAt: r.lastAgentChangeAt,
        }));
        const understanding = (pick: 'understood' | 'understoodBefore') =>
          new Map<number, Understanding>(symbols.map((s, i) => [s.id, { understoodBy: new Set(raw[i]![pick] ? [1] : []), staleBy: new Set() } as unknown as Understanding]));
        const atEnd: Snapshot = { at: 2_000, symbols, understanding: understanding('understood') };
        const atStart: Snapshot = { at: 1_000, symbols, understanding: understanding('understoodBefore') };
        const activity: CommitActivity[] = acts.map((a, i) => ({ ...a, sha: `s${i}`, agent: a.kind === 'agent' ? 'claude' : null }));
        const repos = [1, 2, 3].map((id) => ({ id, name: `r${id}`, head: null }));
        const out = repoFigures({ repos, atEnd, atStart, activity, bounds });

        const expectFor = (mine: SnapshotSymbol[], row: (typeof out)['totals']) => {
          const end = coverage(mine, atEnd.understanding);
          expect(row.coverage.value).toBe(round(end.ratio, 4));
          expect(row.coverage.previous).toBe(round(coverage(mine, atStart.understanding).ratio, 4));
          expect(row.coverage.weight).toBe(round(end.total, 1));
          expect(row.coverage.understoodWeight).toBe(round(end.covered, 1));
          expect(row.debt).toBe(round(totalDebt(mine, atEnd.understanding), 1));
          const indebted = mine.map((s) => ({ s, debt: symbolDebt(s, atEnd.understanding.get(s.id)) })).filter((x) => x.debt > 0);
          const fresh = indebted.filter((x) => x.s.lastAgentChangeAt !== null && x.s.lastAgentChangeAt >= START);
          expect(row.debtAdded).toEqual({ value: round(fresh.reduce((n, x) => n + x.debt, 0), 1), symbols: fresh.length });
          const sorted = [...indebted].sort((a, b) => b.debt - a.debt || `${a.s.file}#${a.s.name}`.localeCompare(`${b.s.file}#${b.s.name}`));
          expect(row.topItems).toEqual(sorted.slice(0, TOP_REPO_ITEMS).map((x) => ({ symbol: x.s.name, kind: 'function', file: x.s.file, debt: round(x.debt, 1) })));
          expect(mine.every((s) => agentWeight(s) >= 0)).toBe(true);
        };
        for (const r of out.repos) expectFor(symbols.filter((s) => `r${s.repoId}` === r.name), r);
        expectFor(symbols, out.totals);
        expect(out.totals.commits).toBe(activity.filter((a) => a.at >= START).length);
      }),
      { numRuns: 300 },
    );
  });
});
