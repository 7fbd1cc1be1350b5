import { describe, expect, it } from 'vitest';
import {
  agentShare,
  decayedFrequency,
  directoryOf,
  hotspotScore,
  rankHotspots,
  scoreSymbol,
  type HotspotSymbolInput,
} from '../../src/core/hotspots.ts';

const DAY = 86_400;
const NOW = 1_800_000_000;

function input(id: number, over: Partial<HotspotSymbolInput> = {}): HotspotSymbolInput {
  return {
    id,
    file: `src/a/f${id}.ts`,
    name: `f${id}`,
    kind: 'function',
    startLine: 1,
    endLine: 10,
    complexity: 1,
    agentLines: 10,
    humanLines: 0,
    understood: false,
    changes: [{ at: NOW, count: 1 }],
    ...over,
  };
}

describe('decayed change frequency', () => {
  it('counts a change today as 1, one half-life ago as 0.5, two as 0.25', () => {
    expect(decayedFrequency([{ at: NOW, count: 1 }], { now: NOW })).toBe(1);
    expect(decayedFrequency([{ at: NOW - 30 * DAY, count: 1 }], { now: NOW })).toBeCloseTo(0.5, 12);
    expect(decayedFrequency([{ at: NOW - 60 * DAY, count: 2 }], { now: NOW })).toBeCloseTo(0.5, 12);
    expect(
      decayedFrequency(
        [
          { at: NOW, count: 3 },
          { at: NOW - 15 * DAY, count: 1 },
        ],
        { now: NOW },
      ),
    ).toBeCloseTo(3 + Math.SQRT1_2, 12);
  });
  it('ignores changes outside the window and counts future ones as today', () => {
    expect(decayedFrequency([{ at: NOW - 181 * DAY, count: 5 }], { now: NOW })).toBe(0);
    expect(decayedFrequency([{ at: NOW - 20 * DAY, count: 1 }], { now: NOW, windowDays: 10 })).toBe(0);
    expect(decayedFrequency([{ at: NOW + 5 * DAY, count: 1 }], { now: NOW })).toBe(1);
  });
  it('honours a custom half-life', () => {
    expect(decayedFrequency([{ at: NOW - 7 * DAY, count: 1 }], { now: NOW, halfLifeDays: 7 })).toBeCloseTo(0.5, 12);
  });
});

describe('hotspot score', () => {
  it('multiplies frequency, complexity, agent share and (1 - coverage)', () => {
    expect(hotspotScore({ frequency: 2.5, complexity: 4, agentShare: 0.75, coverage: 0 })).toBeCloseTo(7.5, 12);
    expect(hotspotScore({ frequency: 2.5, complexity: 4, agentShare: 0.75, coverage: 1 })).toBe(0);
    expect(agentShare({ agentLines: 3, humanLines: 1 })).toBe(0.75);
    expect(agentShare({ agentLines: 0, humanLines: 0 })).toBe(0);
  });
  it('exposes the components of a symbol', () => {
    const s = scoreSymbol(input(1, { complexity: 6, agentLines: 6, humanLines: 2, changes: [{ at: NOW - 30 * DAY, count: 4 }] }), { now: NOW });
    expect(s).toMatchObject({ frequency: 2, complexity: 6, agentShare: 0.75, coverage: 0 });
    expect(s.score).toBeCloseTo(2 * 6 * 0.75, 12);
  });
});

describe('ranking and roll-up', () => {
  it('ranks symbols, files and directories by score and drops zero scores', () => {
    const inputs = [
      input(1, { file: 'src/a/x.ts', complexity: 2 }), // 1 * 2 * 1 = 2
      input(2, { file: 'src/a/x.ts', complexity: 5, agentLines: 5, humanLines: 5 }), // 1 * 5 * 0.5 = 2.5
      input(3, { file: 'src/b/y.ts', complexity: 3, changes: [{ at: NOW, count: 2 }] }), // 2 * 3 = 6
      input(4, { file: 'src/b/y.ts', complexity: 9, understood: true }), // covered: 0
      input(5, { file: 'top.ts', complexity: 9, changes: [] }), // never changed: 0
    ];
    const r = rankHotspots(inputs, { now: NOW });
    expect(r.symbols.map((s) => s.id)).toEqual([3, 2, 1]);
    expect(r.files.map((f) => [f.path, f.score])).toEqual([
      ['src/b/y.ts', 6],
      ['src/a/x.ts', 4.5],
    ]);
    const a = r.directories.find((d) => d.path === 'src/a')!;
    // agent lines 10 + 5 over all lines 10 + 10
    expect(a).toMatchObject({ score: 4.5, frequency: 2, complexity: 5, agentShare: 0.75, coverage: 0, symbols: 2 });
    const b = r.directories.find((d) => d.path === 'src/b')!;
    // symbol 4's 10 agent lines are understood, symbol 3's 10 are not
    expect(b).toMatchObject({ score: 6, complexity: 9, agentShare: 1, coverage: 0.5, symbols: 2 });
    expect(r.directories.map((d) => d.path)).toEqual(['src/b', 'src/a']);
  });
  it('applies the limit to every list', () => {
    const inputs = [1, 2, 3].map((i) => input(i, { file: `d${i}/f.ts`, complexity: i }));
    const r = rankHotspots(inputs, { now: NOW, limit: 2 });
    expect(r.symbols.map((s) => s.id)).toEqual([3, 2]);
    expect(r.files).toHaveLength(2);
    expect(r.directories.map((d) => d.path)).toEqual(['d3', 'd2']);
  });
  it('names the directory of a file, the root as "."', () => {
    expect(directoryOf('src/a/b.ts')).toBe('src/a');
    expect(directoryOf('b.ts')).toBe('.');
  });
});
