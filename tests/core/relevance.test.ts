import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ASK_A_COLLEAGUE_FACTOR,
  BOOST,
  findReferences,
  identifiersIn,
  referenceName,
  placeKey,
  relevanceOf,
  reportScore,
  type RelevanceContext,
} from '../../src/core/relevance.ts';

function ctx(over: Partial<RelevanceContext> = {}): RelevanceContext {
  return {
    files: new Map(),
    directories: new Map(),
    emails: new Set(['ada@example.com']),
    calls: new Map(),
    calledBy: new Map(),
    pullRequests: new Map(),
    staleMarks: new Set(),
    windowDays: 90,
    ...over,
  };
}

const symbol = (id: number, file: string, authors: string[] = [], repoId = 1) => ({ id, repoId, file, authors });
/** A path of repository 1, as the context keys it. */
const at = (path: string, repoId = 1) => placeKey(repoId, path);

describe('relevance boost', () => {
  it('is 1 and outside the area with no signal', () => {
    expect(relevanceOf(symbol(1, 'src/a.ts'), ctx())).toEqual({ boost: 1, inArea: false, reasons: [] });
  });

  it('adds the file boost, or the directory boost when only a sibling file changed', () => {
    const c = ctx({ files: new Map([[at('src/a.ts'), 3]]), directories: new Map([[at('src'), 3]]) });
    const own = relevanceOf(symbol(1, 'src/a.ts'), c);
    expect(own.boost).toBe(1 + BOOST.ownFile);
    expect(own.inArea).toBe(true);
    expect(own.reasons).toEqual(['you changed this file in 3 commits in the last 90 days']);
    const sibling = relevanceOf(symbol(2, 'src/b.ts'), c);
    expect(sibling.boost).toBe(1 + BOOST.ownDirectory);
    expect(sibling.reasons).toEqual(['you changed files in src in the last 90 days']);
    expect(relevanceOf(symbol(3, 'lib/c.ts'), c).boost).toBe(1);
  });

  it("keeps repositories apart: the same path in another repository is not the engineer's file or directory (regression)", () => {
    const c = ctx({ files: new Map([[at('src/a.ts'), 2]]), directories: new Map([[at('src'), 2]]), pullRequests: new Map([[at('src/a.ts'), [{ number: 4, role: 'requested' as const }]]]) });
    expect(relevanceOf(symbol(1, 'src/a.ts'), c).boost).toBe(1 + BOOST.ownFile + BOOST.reviewRequested);
    expect(relevanceOf(symbol(2, 'src/a.ts', [], 2), c)).toEqual({ boost: 1, inArea: false, reasons: [] });
    expect(relevanceOf(symbol(3, 'src/b.ts', [], 2), c).boost).toBe(1);
  });

  it('adds up independent signals', () => {
    const c = ctx({
      calls: new Map([[1, ['parseConfig']]]),
      calledBy: new Map([[1, ['Loader.load']]]),
      pullRequests: new Map([
        [
          at('src/a.ts'),
          [
            { number: 7, role: 'requested' as const },
            { number: 9, role: 'reviewer' as const },
          ],
        ],
      ]),
      staleMarks: new Set([1]),
    });
    const r = relevanceOf(symbol(1, 'src/a.ts', ['ADA@example.com']), c);
    expect(r.boost).toBe(1 + BOOST.ownLines + BOOST.reference + BOOST.reviewRequested + BOOST.reviewer + BOOST.staleMark);
    expect(r.inArea).toBe(true);
    expect(r.reasons).toEqual([
      'you committed some of its current lines',
      'uses your recent change to parseConfig',
      'used by your recent change to Loader.load',
      'your review is requested on PR #7',
      'you review PR #9',
    ]);
  });

  it('without reasons, gives the same boost and area but no sentences', () => {
    const c = ctx({ files: new Map([[at('src/a.ts'), 1]]), pullRequests: new Map([[at('src/a.ts'), [{ number: 3, role: 'requested' as const }]]]) });
    const full = relevanceOf(symbol(1, 'src/a.ts', ['ada@example.com']), c);
    const bare = relevanceOf(symbol(1, 'src/a.ts', ['ada@example.com']), c, false);
    expect(full.reasons).toHaveLength(3);
    expect(bare).toEqual({ boost: full.boost, inArea: true, reasons: [] });
  });

  it('references alone boost but do not put code in the area', () => {
    const r = relevanceOf(symbol(1, 'x.ts'), ctx({ calls: new Map([[1, ['a1', 'b2', 'c3', 'd4']]]) }));
    expect(r).toEqual({ boost: 1 + BOOST.reference, inArea: false, reasons: ['uses your recent change to a1, b2, c3 and 1 more'] });
  });
});

describe('name-based references', () => {
  it('takes the last segment of a qualified name, skipping short, generic and module names', () => {
    expect(referenceName('Cache.evictOldest')).toBe('evictOldest');
    expect(referenceName('Cache.size:get')).toBeNull(); // "size" is too generic to tell apart
    expect(referenceName('Store.budget:get')).toBe('budget');
    expect(referenceName('parse#2')).toBe('parse');
    expect(referenceName('(module)')).toBeNull();
    expect(referenceName('Foo.constructor')).toBeNull();
    expect(referenceName('go')).toBeNull();
  });

  it('reads identifiers outside comments and import / re-export declarations', () => {
    expect([...identifiersIn('const x = foo(bar) // calls baz\n/* qux */ $y')].sort()).toEqual(['$y', 'bar', 'const', 'foo', 'x']);
    const module = "import { renderPage } from '../web/render';\nimport type {\n  A,\n  B } from \"./t\";\nimport './side';\nexport { x } from './x';\nsetup(renderPage2);";
    expect([...identifiersIn(module)].sort()).toEqual(['renderPage2', 'setup']);
  });

  it('links candidates that mention my changed symbols and those my changes mention, never a symbol to itself', () => {
    const mine = [
      { id: 1, name: 'parseConfig', text: 'function parseConfig(t) { return validateShape(JSON.parse(t)); }' },
      { id: 2, name: 'Loader.reload', text: 'reload() { this.cache = parseConfig(read()); }' },
    ];
    const candidates = [
      { id: 10, name: 'validateShape', text: 'function validateShape(x) { return x; }' },
      { id: 11, name: 'boot', text: 'function boot() { const c = parseConfig(src); /* reload later */ }' },
      { id: 12, name: 'unrelated', text: 'function unrelated() { return parseConfigurations(); }' },
      { id: 1, name: 'parseConfig', text: 'function parseConfig(t) { return parseConfig(t); }' },
      { id: 13, name: 'noText', text: null },
    ];
    const { calls, calledBy } = findReferences(mine, candidates);
    expect([...calls]).toEqual([[11, ['parseConfig']]]);
    expect(calls.has(12)).toBe(false); // a longer identifier is not a mention
    expect(calls.has(1)).toBe(false); // itself
    expect(calledBy.get(10)).toEqual(['parseConfig']);
    expect(calledBy.get(1)).toEqual(['Loader.reload']); // my other change calls it
    expect(calledBy.has(11)).toBe(false);
  });
});

describe('findReferences prefilter (regression: the whole-word pre-test must never hide a mention)', () => {
  it('finds exactly the mentions a full identifier scan finds, on texts built of tricky neighbours', () => {
    const names = ['fooBar', 'baz_1', '$qux'];
    const piece = fc.constantFrom(...names, '1', 'x', '_', '$', '.', ' ', '\n', '//', '/*', '*/', "'", 'import ', ' from ', '(', ';', '0x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const mine = names.map((name, i) => ({ id: i + 1, name, text: null }));
        const { calls } = findReferences(mine, [{ id: 100, name: 'candidate', text }]);
        const seen = identifiersIn(text);
        const expected = names.filter((n) => seen.has(n)).sort();
        expect(calls.get(100) ?? []).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('report score', () => {
  it('is debt x boost when nobody understands, a quarter of it when a colleague does', () => {
    expect(reportScore(30, false, 3)).toBe(90);
    expect(reportScore(30, true, 3)).toBe(90 * ASK_A_COLLEAGUE_FACTOR);
    expect(reportScore(30, false, 0.2)).toBe(30); // boost never shrinks
  });
});
