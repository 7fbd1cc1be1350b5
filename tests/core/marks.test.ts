import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import {
  checkMarkNote,
  compareLevels,
  deriveMarkStates,
  formatTarget,
  isUnderstandingLevel,
  MARK_LEVELS,
  parseTarget,
  type CurrentSymbol,
  type MarkRecord,
} from '../../src/core/marks.ts';

describe('levels', () => {
  it('orders viewed < reviewed < explained', () => {
    expect(compareLevels('viewed', 'reviewed')).toBeLessThan(0);
    expect(compareLevels('explained', 'reviewed')).toBeGreaterThan(0);
    expect(compareLevels('reviewed', 'reviewed')).toBe(0);
    const sorted = [...MARK_LEVELS].reverse().sort(compareLevels);
    expect(sorted).toEqual(['viewed', 'reviewed', 'explained']);
  });

  it('counts reviewed and explained as understanding, not viewed', () => {
    expect(isUnderstandingLevel('viewed')).toBe(false);
    expect(isUnderstandingLevel('reviewed')).toBe(true);
    expect(isUnderstandingLevel('explained')).toBe(true);
  });

  it('requires a note for explained', () => {
    expect(() => checkMarkNote('explained', '   ')).toThrow(/requires a note/);
    expect(() => checkMarkNote('explained', undefined)).toThrow(GraspError);
    expect(checkMarkNote('explained', ' parses the header ')).toBe('parses the header');
    expect(checkMarkNote('viewed', '')).toBeNull();
  });
});

describe('parseTarget', () => {
  it('parses each kind of target', () => {
    expect(parseTarget('src/a.ts#Foo.bar')).toEqual({ kind: 'symbol', file: 'src/a.ts', name: 'Foo.bar' });
    expect(parseTarget('./src/a.ts')).toEqual({ kind: 'file', file: 'src/a.ts' });
    expect(parseTarget('ABCDEF1')).toEqual({ kind: 'commit', sha: 'abcdef1' });
    expect(parseTarget('abcd..0123456789')).toEqual({ kind: 'range', base: 'abcd', head: '0123456789' });
    expect(parseTarget('pr:42')).toEqual({ kind: 'pr', number: 42 });
    expect(parseTarget('#7')).toEqual({ kind: 'pr', number: 7 });
    // Dots in a file name are not a range.
    expect(parseTarget('notes..md')).toEqual({ kind: 'file', file: 'notes..md' });
  });

  it('refuses what cannot be a target, with GraspError invalid', () => {
    for (const bad of ['', '   ', '/etc/passwd', 'src/a.ts#', '#', 'a\u0000b', 'x'.repeat(5000), '#abc']) {
      let err: unknown;
      try {
        parseTarget(bad);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(GraspError);
      expect((err as GraspError).code).toBe('invalid');
    }
  });

  it('regression: a path ending in " /" round-trips (fast-check found "! /")', () => {
    expect(parseTarget('! /')).toEqual({ kind: 'file', file: '!' });
    expect(parseTarget(formatTarget(parseTarget('src/a b /')))).toEqual(parseTarget('src/a b /'));
  });

  // Regression (fast-check counterexample): a quoted path ending in `/` was written back unquoted,
  // and the unquoted reading drops the slash.
  it('keeps a quoted path that the unquoted reading would change quoted', () => {
    const t = parseTarget('"$/"');
    expect(t).toEqual({ kind: 'file', file: '$/' });
    expect(formatTarget(t)).toBe('"$/"');
    expect(parseTarget(formatTarget(t))).toEqual(t);
  });

  it('round-trips through formatTarget and never throws anything but GraspError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          const t = parseTarget(text);
          expect(parseTarget(formatTarget(t))).toEqual(t);
        } catch (e) {
          expect(e).toBeInstanceOf(GraspError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('deriveMarkStates', () => {
  let id = 0;
  const mark = (m: Partial<MarkRecord> & Pick<MarkRecord, 'engineerId' | 'hash'>): MarkRecord => ({
    id: ++id,
    repoId: 1,
    symbolId: 1,
    file: 'a.ts',
    name: 'f',
    level: 'reviewed',
    createdAt: 100 + id,
    ...m,
  });
  const sym = (s: Partial<CurrentSymbol> & Pick<CurrentSymbol, 'hash'>): CurrentSymbol => ({ id: 1, repoId: 1, file: 'a.ts', name: 'f', ...s });

  it('is fresh on the current hash and stale on an older one', () => {
    const marks = [mark({ engineerId: 1, hash: 'h1' }), mark({ engineerId: 2, hash: 'h0' })];
    const states = deriveMarkStates(marks, [sym({ hash: 'h1' })]);
    expect(states.map((s) => [s.engineerId, s.stale])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('takes the latest mark on the current hash as the level', () => {
    const marks = [
      mark({ engineerId: 1, hash: 'h1', level: 'viewed', createdAt: 10 }),
      mark({ engineerId: 1, hash: 'h1', level: 'explained', createdAt: 20 }),
      mark({ engineerId: 1, hash: 'h0', level: 'reviewed', createdAt: 30 }),
    ];
    const [state] = deriveMarkStates(marks, [sym({ hash: 'h1' })]);
    expect(state).toMatchObject({ stale: false, mark: { level: 'explained' } });
    // Same second: the later row (higher id) wins.
    const tie = [mark({ engineerId: 3, hash: 'h1', level: 'reviewed', createdAt: 50 }), mark({ engineerId: 3, hash: 'h1', level: 'viewed', createdAt: 50 })];
    expect(deriveMarkStates(tie, [sym({ hash: 'h1' })])[0]!.mark.level).toBe('viewed');
  });

  it('is fresh again when the content comes back to a marked hash', () => {
    const marks = [mark({ engineerId: 1, hash: 'h1', createdAt: 10 }), mark({ engineerId: 1, hash: 'h2', createdAt: 20 })];
    expect(deriveMarkStates(marks, [sym({ hash: 'h1' })])[0]).toMatchObject({ stale: false, mark: { hash: 'h1' } });
    expect(deriveMarkStates(marks, [sym({ hash: 'h3' })])[0]).toMatchObject({ stale: true, mark: { hash: 'h2' } });
  });

  it('follows a moved symbol by content hash and a renamed file by symbol id', () => {
    const marks = [mark({ engineerId: 1, hash: 'h1', symbolId: 1, file: 'old.ts', name: 'f' })];
    // Moved, same content, new id: still fresh (keyed by content).
    expect(deriveMarkStates(marks, [sym({ id: 9, file: 'new.ts', hash: 'h1' })])[0]?.stale).toBe(false);
    // Same id, changed content: stale.
    expect(deriveMarkStates(marks, [sym({ id: 1, file: 'new.ts', hash: 'h2' })])[0]?.stale).toBe(true);
    // Unknown id (re-analysis) but same file and name, changed content: stale.
    expect(deriveMarkStates(marks, [sym({ id: 5, file: 'old.ts', name: 'f', hash: 'h2' })])[0]?.stale).toBe(true);
    // A different symbol entirely: no state.
    expect(deriveMarkStates(marks, [sym({ id: 6, file: 'old.ts', name: 'g', hash: 'h7' })])).toEqual([]);
  });

  it('handles file-granularity marks (name "") by file and blob', () => {
    const marks = [mark({ engineerId: 1, hash: 'blob1', symbolId: null, file: 'logo.svg', name: '' })];
    expect(deriveMarkStates(marks, [{ id: null, repoId: 1, file: 'logo.svg', name: '', hash: 'blob1' }])[0]?.stale).toBe(false);
    expect(deriveMarkStates(marks, [{ id: null, repoId: 1, file: 'logo.svg', name: '', hash: 'blob2' }])[0]?.stale).toBe(true);
  });

  it('gives every (engineer, symbol) at most one state; fresh iff a mark is on the current hash', () => {
    const hashArb = fc.constantFrom('h0', 'h1', 'h2', 'h3');
    const markArb = fc.record({
      engineerId: fc.integer({ min: 1, max: 3 }),
      symbolId: fc.integer({ min: 1, max: 3 }),
      hash: hashArb,
      createdAt: fc.integer({ min: 0, max: 50 }),
      level: fc.constantFrom(...MARK_LEVELS),
    });
    fc.assert(
      fc.property(fc.array(markArb, { maxLength: 30 }), fc.array(hashArb, { minLength: 3, maxLength: 3 }), (raw, hashes) => {
        const marks: MarkRecord[] = raw.map((m, i) => ({ ...m, id: i + 1, repoId: 1, file: `f${m.symbolId}.ts`, name: 'x' }));
        const current = hashes.map((h, i) => ({ id: i + 1, repoId: 1, file: `f${i + 1}.ts`, name: 'x', hash: h }));
        const states = deriveMarkStates(marks, current);
        const keys = states.map((s) => `${s.engineerId}/${s.symbol.id}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const s of states) {
          const onCurrent = marks.some((m) => m.engineerId === s.engineerId && m.hash === s.symbol.hash);
          expect(s.stale).toBe(!onCurrent);
          if (!s.stale) expect(s.mark.hash).toBe(s.symbol.hash);
        }
      }),
      { numRuns: 500 },
    );
  });
});
