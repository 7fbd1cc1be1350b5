/**
 * The digest's view of the past (src/digest/snapshot.ts) on hand-built history rows: which version
 * was current when, the estimate of a past version's agent lines, the exact head figures, and the
 * cheap fresh-marks path agreeing with the full derivation of src/core/marks.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeadSymbolRow, MarkRow, VersionRow } from '../../src/db/repo/digest.ts';
import { indexHistory, symbolsAt, takeSnapshot } from '../../src/digest/snapshot.ts';

let seq = 0;
function version(v: Partial<VersionRow> & Pick<VersionRow, 'symbolId' | 'at'>): VersionRow {
  return {
    repoId: 1,
    file: 'src/a.ts',
    name: `f${v.symbolId}`,
    kind: 'function',
    change: 'modified',
    hash: `h${v.symbolId}-${v.at}`,
    startLine: 1,
    endLine: 10,
    complexity: 1,
    agentLines: 0,
    humanLines: 0,
    seq: ++seq,
    authorEmail: 'ada@example.com',
    ...v,
  };
}
const head = (h: Partial<HeadSymbolRow> & Pick<HeadSymbolRow, 'id' | 'hash'>): HeadSymbolRow => ({ repoId: 1, alive: true, agentLines: 0, humanLines: 0, authors: '[]', ...h });

describe('symbolsAt', () => {
  it('takes the latest version before the instant and drops deleted symbols', () => {
    const rows = [
      version({ symbolId: 1, at: 100, change: 'added', agentLines: 10 }),
      version({ symbolId: 1, at: 200, humanLines: 2, endLine: 12 }),
      version({ symbolId: 2, at: 100, change: 'added', humanLines: 5, endLine: 5 }),
      version({ symbolId: 2, at: 300, change: 'deleted', hash: null }),
    ];
    const index = indexHistory(rows, [], [], new Map()).index;
    const at = (t: number) => symbolsAt(index, new Map(), t).map((s) => `${s.id}:${s.hash}`);
    expect(at(100)).toEqual([]);
    expect(at(101)).toEqual(['1:h1-100', '2:h2-100']);
    expect(at(250)).toEqual(['1:h1-200', '2:h2-100']);
    expect(at(301)).toEqual(['1:h1-200']);
  });

  it('estimates a past version: new lines keep their origin, the rest carry the old mix over', () => {
    const rows = [
      version({ symbolId: 1, at: 100, change: 'added', agentLines: 10, endLine: 10 }),
      // A human adds 2 lines: 10 old lines carried (all agent) + 2 human.
      version({ symbolId: 1, at: 200, humanLines: 2, endLine: 12, authorEmail: 'bob@example.com' }),
      // The agent rewrites 6 of 12: 6 new agent lines + 6 carried at 10/12 agent.
      version({ symbolId: 1, at: 300, agentLines: 6, endLine: 12 }),
      // A human rewrites everything: no agent line is left, and only they wrote it.
      version({ symbolId: 1, at: 400, humanLines: 8, endLine: 8, authorEmail: 'bob@example.com' }),
    ];
    const index = indexHistory(rows, [], [], new Map()).index;
    const one = (t: number) => symbolsAt(index, new Map(), t)[0]!;
    expect(one(150)).toMatchObject({ agentLines: 10, humanLines: 0, authors: ['ada@example.com'], lastAgentChangeAt: 100 });
    expect(one(250)).toMatchObject({ agentLines: 10, humanLines: 2, authors: ['ada@example.com', 'bob@example.com'], lastAgentChangeAt: 100 });
    expect(one(350)).toMatchObject({ agentLines: 11, humanLines: 1, lastAgentChangeAt: 300 });
    expect(one(450)).toMatchObject({ agentLines: 0, humanLines: 8, authors: ['bob@example.com'] });
    expect(one(450).changes.map((c) => c.at)).toEqual([100, 200, 300, 400]);
  });

  it('uses the exact head figures while the version is still the one at head', () => {
    const rows = [version({ symbolId: 1, at: 100, change: 'added', agentLines: 10, hash: 'same' })];
    const heads = new Map([[1, head({ id: 1, hash: 'same', agentLines: 7, humanLines: 3, authors: '["Ada@Example.com"]' })]]);
    expect(symbolsAt(indexHistory(rows, [], [], new Map()).index, heads, 200)[0]).toMatchObject({ agentLines: 7, humanLines: 3, authors: ['ada@example.com'] });
  });
});

describe('takeSnapshot', () => {
  const rows = [
    version({ symbolId: 1, at: 100, change: 'added', agentLines: 10, hash: 'v1' }),
    version({ symbolId: 1, at: 300, agentLines: 2, hash: 'v2' }),
    version({ symbolId: 2, at: 100, change: 'added', humanLines: 4, endLine: 4, hash: 'w1', authorEmail: 'bob@example.com' }),
  ];
  const mark = (id: number, engineerId: number, hash: string, level: MarkRow['level'], createdAt: number): MarkRow => ({ id, engineerId, repoId: 1, symbolId: 1, file: 'src/a.ts', name: 'f1', hash, level, createdAt });
  const marks = [mark(1, 1, 'v1', 'reviewed', 150), mark(2, 2, 'v1', 'viewed', 160), mark(3, 2, 'v2', 'explained', 400)];
  const history = indexHistory(rows, [], marks, new Map([['bob@example.com', 2]]));

  it('counts only marks written before the instant, on the version current then', () => {
    const at200 = takeSnapshot(history, 200, { withStale: true }).understanding.get(1)!;
    expect([...at200.understoodBy]).toEqual([1]);
    expect([...at200.viewedBy]).toEqual([2]);
    const at350 = takeSnapshot(history, 350, { withStale: true }).understanding.get(1)!;
    expect([...at350.understoodBy]).toEqual([]);
    expect([...at350.staleUnderstandingBy]).toEqual([1]);
    const at500 = takeSnapshot(history, 500, { withStale: true }).understanding.get(1)!;
    expect([...at500.understoodBy]).toEqual([2]);
  });

  it('credits the sole human author of a version', () => {
    expect([...takeSnapshot(history, 200, { withStale: false }).understanding.get(2)!.understoodBy]).toEqual([2]);
  });

  it('the fresh-only path agrees with the full derivation on who understands what', () => {
    const levels = ['viewed', 'reviewed', 'explained'] as const;
    const markArb = fc.record({
      engineerId: fc.integer({ min: 1, max: 4 }),
      symbolId: fc.integer({ min: 1, max: 3 }),
      version: fc.integer({ min: 0, max: 2 }),
      level: fc.constantFrom(...levels),
      createdAt: fc.integer({ min: 0, max: 30 }),
    });
    const versions = [1, 2, 3].flatMap((id) => [0, 1, 2].map((k) => version({ symbolId: id, at: k * 10, change: k === 0 ? 'added' : 'modified', agentLines: 5, hash: `s${id}v${k}` })));
    fc.assert(
      fc.property(fc.array(markArb, { maxLength: 40 }), fc.integer({ min: 0, max: 32 }), (raw, at) => {
        const rows = raw.map((m, i): MarkRow => ({ id: i + 1, engineerId: m.engineerId, repoId: 1, symbolId: m.symbolId, file: 'src/a.ts', name: `f${m.symbolId}`, hash: `s${m.symbolId}v${m.version}`, level: m.level, createdAt: m.createdAt }));
        const h = indexHistory(versions, [], rows, new Map());
        const full = takeSnapshot(h, at, { withStale: true });
        const light = takeSnapshot(h, at, { withStale: false });
        for (const [id, u] of full.understanding) {
          expect([...light.understanding.get(id)!.understoodBy].sort()).toEqual([...u.understoodBy].sort());
          expect([...light.understanding.get(id)!.viewedBy].sort()).toEqual([...u.viewedBy].sort());
        }
      }),
      { numRuns: 500 },
    );
  });
});
