import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { chooseRepository, formatRepoTarget, parseRepoTarget, type RepoTarget } from '../../src/core/repo-target.ts';

const word = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,11}$/).filter((w) => !w.includes('..') && w !== '.' && !w.endsWith('.'));
const repoName = fc.oneof(word, fc.constant('pr'), fc.tuple(word, word).map(([o, n]) => `${o}/${n}`));
// Path segments as real trees have them, including the awkward ones: `:`, `@`, `..` inside a name, hex-only names.
const segment = fc.oneof(
  word,
  fc.stringMatching(/^[0-9a-f]{4,12}$/),
  fc.constantFrom('a:b.ts', 'pr:12', '12', '@types', 'x@2', 'a..b.ts', 'v1...v2', 'index.test.ts'),
);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const symbolName = fc.oneof(fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$.]{0,15}$/), fc.constantFrom('Cache.size:get', 'f#2', '(module)', 'describe(a b)'));
const revision = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{4,40}$/),
  fc.constantFrom('HEAD', 'main', 'feature/x', 'v1.2.0'),
  fc.tuple(fc.stringMatching(/^[0-9a-f]{7}$/), fc.constantFrom('^', '~2', '^2', '~')).map(([s, x]) => s + x),
);
const hex = fc.stringMatching(/^[0-9a-f]{4,40}$/);

const withRepo: fc.Arbitrary<RepoTarget> = repoName.chain((repo) =>
  fc.oneof(
    fc.record({ repo: fc.constant(repo), kind: fc.constant('symbol' as const), file: path, name: symbolName }),
    fc.record({ repo: fc.constant(repo), kind: fc.constant('file' as const), file: path }),
    fc.record({ repo: fc.constant(repo), kind: fc.constant('commit' as const), rev: revision }),
    fc.record({ repo: fc.constant(repo), kind: fc.constant('range' as const), base: revision, head: revision, symmetric: fc.boolean() }),
    fc.record({ repo: fc.constant(repo), kind: fc.constant('pr' as const), number: fc.integer({ min: 1, max: 999_999_999 }) }),
  ),
);
const short: fc.Arbitrary<RepoTarget> = fc.oneof(
  fc.record({ repo: fc.constant(null), kind: fc.constant('symbol' as const), file: path, name: symbolName }),
  fc.record({ repo: fc.constant(null), kind: fc.constant('file' as const), file: path }),
  fc.record({ repo: fc.constant(null), kind: fc.constant('commit' as const), rev: hex }),
  fc.record({ repo: fc.constant(null), kind: fc.constant('range' as const), base: hex, head: hex, symmetric: fc.constant(false) }),
  fc.record({ repo: fc.constant(null), kind: fc.constant('pr' as const), number: fc.integer({ min: 1, max: 999_999_999 }) }),
);

describe('repository targets', () => {
  it('reads each form of the grammar', () => {
    expect(parseRepoTarget('acme/web:src/a.ts#Cache.get')).toEqual({ repo: 'acme/web', kind: 'symbol', file: 'src/a.ts', name: 'Cache.get' });
    expect(parseRepoTarget('api:src/a.ts')).toEqual({ repo: 'api', kind: 'file', file: 'src/a.ts' });
    expect(parseRepoTarget('api@HEAD~2')).toEqual({ repo: 'api', kind: 'commit', rev: 'HEAD~2' });
    expect(parseRepoTarget('api:main..feature/x')).toEqual({ repo: 'api', kind: 'range', base: 'main', head: 'feature/x', symmetric: false });
    expect(parseRepoTarget('api:v1...v2^')).toEqual({ repo: 'api', kind: 'range', base: 'v1', head: 'v2^', symmetric: true });
    expect(parseRepoTarget('acme/api#pr:12')).toEqual({ repo: 'acme/api', kind: 'pr', number: 12 });
    expect(parseRepoTarget('src/a.ts#f')).toEqual({ repo: null, kind: 'symbol', file: 'src/a.ts', name: 'f' });
    expect(parseRepoTarget('1a2b3c4')).toEqual({ repo: null, kind: 'commit', rev: '1a2b3c4' });
    expect(parseRepoTarget('#12')).toEqual({ repo: null, kind: 'pr', number: 12 });
  });

  it('takes a prefix for a repository only when it is one of the known names', () => {
    const isRepository = (n: string) => n === 'web';
    expect(parseRepoTarget('packages/ui@2/x.ts', { isRepository })).toEqual({ repo: null, kind: 'file', file: 'packages/ui@2/x.ts' });
    expect(parseRepoTarget('web@2', { isRepository })).toEqual({ repo: 'web', kind: 'commit', rev: '2' });
    expect(parseRepoTarget('docs:intro.md', { isRepository })).toEqual({ repo: null, kind: 'file', file: 'docs:intro.md' });
  });

  it('parse(format(t)) is t, for every target with a repository', () => {
    fc.assert(fc.property(withRepo, (t) => {
      expect(parseRepoTarget(formatRepoTarget(t))).toEqual(t);
    }), { numRuns: 500 });
  });

  it('parse(format(t)) is t for short targets, even for paths that look like another form', () => {
    fc.assert(fc.property(short, (t) => {
      expect(parseRepoTarget(formatRepoTarget(t))).toEqual(t);
    }), { numRuns: 500 });
    expect(formatRepoTarget({ repo: null, kind: 'file', file: 'a:b.ts' })).toBe('./a:b.ts');
    expect(formatRepoTarget({ repo: 'web', kind: 'file', file: 'a..b.ts' })).toBe('web:./a..b.ts');
  });

  it('formatting is canonical: format(parse(format(t))) is format(t)', () => {
    fc.assert(
      fc.property(fc.oneof(withRepo, short), (t) => {
        const text = formatRepoTarget(t);
        expect(formatRepoTarget(parseRepoTarget(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('a known repository name always wins over the short reading of the same text', () => {
    fc.assert(
      fc.property(withRepo, (t) => {
        const known = (n: string) => n === t.repo;
        expect(parseRepoTarget(formatRepoTarget(t), { isRepository: known }).repo).toBe(t.repo);
      }),
      { numRuns: 200 },
    );
  });
});

describe('chooseRepository', () => {
  const fails = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(GraspError);
      return (err as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('takes the named repository, or the only one, or the only one that matches', () => {
    expect(chooseRepository('api', ['web', 'api'])).toBe('api');
    expect(chooseRepository(null, ['web'])).toBe('web');
    expect(chooseRepository(null, ['web', 'api', 'lib'], ['lib'])).toBe('lib');
  });

  it('an unknown name is one line listing the known names', () => {
    const message = fails(() => chooseRepository('nope', ['web', 'api']));
    expect(message).toBe('unknown repository "nope"; known: api, web');
  });

  it('an ambiguous short target says which repositories match', () => {
    const message = fails(() => chooseRepository(null, ['web', 'api', 'lib'], ['web', 'lib'], 'src/util.ts#slug'));
    expect(message).toContain('lib, web');
    expect(message).not.toContain('\n');
    expect(fails(() => chooseRepository(null, []))).toContain('grasp ingest');
  });
});
