import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRange, parseRevision, resolveStored, type StoredCommit } from '../../src/core/revisions.ts';
import { mergeBase, resolveRange, revParse } from '../../src/git/revisions.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

describe('revision syntax, pure', () => {
  it('splits two-dot, three-dot and ^! ranges', () => {
    expect(parseRange('HEAD~2..HEAD')).toEqual({ left: 'HEAD~2', right: 'HEAD', symmetric: false });
    expect(parseRange('main...feature')).toEqual({ left: 'main', right: 'feature', symmetric: true });
    expect(parseRange('abc^..abc')).toEqual({ left: 'abc^', right: 'abc', symmetric: false });
    expect(parseRange('abc^!')).toEqual({ left: 'abc^', right: 'abc', symmetric: false });
    for (const bad of ['', '..', 'a..', '..b', 'a..b..c', 'main', '^!']) expect(parseRange(bad)).toBeNull();
  });

  it('reads ^ and ~ steps', () => {
    expect(parseRevision('abc~2^2')).toEqual({ name: 'abc', steps: [{ op: '~', n: 2 }, { op: '^', n: 2 }] });
    expect(parseRevision('HEAD^')).toEqual({ name: 'HEAD', steps: [{ op: '^', n: 1 }] });
    expect(parseRevision('x~y')).toBeNull();
    expect(parseRevision('~1')).toBeNull();
  });

  it('round-trips any two revisions joined by .. or ...', () => {
    const rev = fc.stringMatching(/^[A-Za-z0-9_/-]{1,20}([~^][0-9]{0,2}){0,3}$/);
    fc.assert(
      fc.property(rev, rev, fc.boolean(), (a, b, sym) => {
        expect(parseRange(`${a}${sym ? '...' : '..'}${b}`)).toEqual({ left: a, right: b, symmetric: sym });
      }),
    );
  });

  it('walks stored parents without a repository, as the Worker does', async () => {
    // c3 is a merge of c2 (first parent) and s1 (second parent); c2 -> c1.
    const commits: StoredCommit[] = [
      { sha: 'c1'.padEnd(40, '0'), parents: [] },
      { sha: 'c2'.padEnd(40, '0'), parents: ['c1'.padEnd(40, '0')] },
      { sha: 'a1'.padEnd(40, '0'), parents: ['c1'.padEnd(40, '0')] },
      { sha: 'c3'.padEnd(40, '0'), parents: ['c2'.padEnd(40, '0'), 'a1'.padEnd(40, '0')] },
    ];
    const lookup = {
      find: async (p: string) => commits.find((c) => c.sha.startsWith(p)) ?? null,
      head: async () => commits[3]!.sha,
    };
    expect(await resolveStored('HEAD~2', lookup)).toBe(commits[0]!.sha);
    expect(await resolveStored('c300^2', lookup)).toBe(commits[2]!.sha);
    expect(await resolveStored('c3000~1', lookup)).toBe(commits[1]!.sha);
    expect(await resolveStored('c300^0', lookup)).toBe(commits[3]!.sha);
    await expect(resolveStored('c100^', lookup)).rejects.toThrow(/has no parent 1/);
    await expect(resolveStored('main', lookup)).rejects.toThrow(/without the repository/);
  });
});

describe('revision syntax through git', () => {
  const repo = new GitFixture();
  let shas: string[] = [];
  let feature = '';
  beforeAll(() => {
    for (let i = 0; i < 3; i++) shas.push(repo.write('a.ts', `export const a = ${i};\n`).commit({ message: `main ${i}` }));
    repo.branch('feature', shas[1]).checkout('feature');
    feature = repo.write('b.ts', 'export const b = 1;\n').commit({ message: 'feature' });
    repo.checkout('main');
    repo.git('tag', 'v1', shas[0]!);
  });
  afterAll(() => repo.cleanup());

  it('HEAD~2..HEAD, main...feature and sha^..sha equal the sha forms', async () => {
    expect(await resolveRange(repo.dir, 'HEAD~2..HEAD')).toMatchObject({ base: shas[0], head: shas[2] });
    expect(await resolveRange(repo.dir, 'main...feature')).toMatchObject({ base: shas[1], head: feature });
    expect(await resolveRange(repo.dir, `${shas[2]}^..${shas[2]}`)).toMatchObject({ base: shas[1], head: shas[2] });
    expect(await resolveRange(repo.dir, `${shas[2]!.slice(0, 8)}^!`)).toMatchObject({ base: shas[1], head: shas[2] });
    expect(await revParse(repo.dir, 'v1')).toBe(shas[0]);
    expect(await mergeBase(repo.dir, 'main', 'feature')).toBe(shas[1]);
  });

  it('an unknown revision gets git message, and an option-like one is never an option', async () => {
    await expect(revParse(repo.dir, 'nope')).rejects.toThrow(/unknown revision "nope" .*\(git: .*(unknown revision|Needed a single revision|ambiguous)/);
    await expect(revParse(repo.dir, '--all')).rejects.toThrow(/--all/);
    await expect(resolveRange(repo.dir, 'main')).rejects.toThrow(/not a range/);
  });
});
