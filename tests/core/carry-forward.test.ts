/**
 * Carrying PR authorship onto the landed commit: a real three-commit PR (agent, agent, human fix-up)
 * built with git, squash-merged and rebase-merged, gives the same per-line answer; properties of the
 * carry over random edit sequences.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { agentIsMaterial, carryLines, carryThroughPr, ownersOfLanded, summarizeOwners, type FileStep, type LineOwner } from '../../src/core/carry-forward.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const CLAUDE = { name: 'claude[bot]', email: '209825114+claude[bot]@users.noreply.github.com' };
const agentOwner = (sha: string): LineOwner => ({ author: 'agent', agent: 'claude', sha });
const humanOwner = (sha: string | null): LineOwner => ({ author: 'human', agent: null, sha });

/** New-side line numbers a commit added to a file, from git's own -U0 hunks. */
function addedLines(repo: GitFixture, sha: string, path: string): Set<number> {
  const out = new Set<number>();
  for (const m of repo.git('diff', '-U0', `${sha}^`, sha, '--', path).matchAll(/^@@ -\S+ \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(m[1]);
    const n = m[2] === undefined ? 1 : Number(m[2]);
    for (let i = 0; i < n; i++) out.add(start + i);
  }
  return out;
}
const show = (repo: GitFixture, sha: string, path: string) => repo.git('show', `${sha}:${path}`);

describe('a PR of three commits: agent, agent, human fix-up', () => {
  function pr() {
    const repo = new GitFixture();
    cleanups.push(() => repo.cleanup());
    const base = repo.write('src/rate.ts', 'export const header = 1;\n').commit({ message: 'base' });
    repo.git('checkout', '-q', '-b', 'claude/rate-limit');
    const body = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `export const r${i + from} = ${i + from};`);
    const v1 = ['export const header = 1;', ...body(10)];
    const c1 = repo.write('src/rate.ts', v1.join('\n') + '\n').commit({ author: CLAUDE, message: 'Add rate limiter' });
    const v2 = [...v1, ...body(5, 10)];
    const c2 = repo.write('src/rate.ts', v2.join('\n') + '\n').commit({ author: CLAUDE, message: 'Add burst handling' });
    const v3 = v2.map((l, i) => (i === 3 || i === 7 ? l.replace('= ', '= 1 + ') : l));
    v3.push('export const reviewed = true;');
    const c3 = repo.write('src/rate.ts', v3.join('\n') + '\n').commit({ message: 'Review fix-ups' });
    return { repo, base, prCommits: [c1, c2, c3] };
  }

  const steps = (repo: GitFixture, shas: string[]): FileStep[] =>
    shas.map((sha) => {
      const agent = repo.git('log', '-1', '--format=%ae', sha).includes('claude');
      return { sha, text: show(repo, sha, 'src/rate.ts'), ownerOf: () => (agent ? agentOwner(sha) : humanOwner(sha)) };
    });

  it('squash: the landed commit gets what each PR commit wrote and survived', () => {
    const { repo, base, prCommits } = pr();
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--squash', 'claude/rate-limit');
    const squash = repo.commit({ message: 'Add rate limiting (#7)' });
    const head = carryThroughPr(show(repo, base, 'src/rate.ts'), steps(repo, prCommits));
    const owners = ownersOfLanded(head, show(repo, squash, 'src/rate.ts'), [...addedLines(repo, squash, 'src/rate.ts')], humanOwner(squash));
    const s = summarizeOwners(owners.values());
    // 10 + 5 agent lines, 2 of them rewritten by the human, who also added 1: 13 agent, 3 human.
    expect([s.agent, s.human, s.untracked]).toEqual([13, 3, 0]);
    expect(s.agents).toEqual(['claude']);
    expect(s.commits.sort()).toEqual([...prCommits].sort());
    expect(agentIsMaterial(s.agent, owners.size)).toBe(true);
  });

  it('rebase: the copies carried one by one give the same per-line answer at the end', () => {
    const { repo, base, prCommits } = pr();
    repo.git('checkout', '-q', 'main');
    repo.write('README.md', 'hello\n').commit({ message: 'unrelated work on main' });
    repo.git('checkout', '-q', '-b', 'rebased', 'claude/rate-limit');
    repo.git('rebase', '-q', 'main');
    const copies = repo.git('rev-list', '--reverse', 'main..rebased').trim().split('\n');
    expect(copies).toHaveLength(3);
    // Each copy is matched to its PR commit (same patch-id), and takes its carried owners.
    let lines = show(repo, base, 'src/rate.ts').replace(/\n$/, '').split('\n');
    let owners: (LineOwner | null)[] = lines.map(() => null);
    copies.forEach((copy, k) => {
      const head = carryThroughPr(show(repo, base, 'src/rate.ts'), steps(repo, prCommits.slice(0, k + 1)));
      const landed = ownersOfLanded(head, show(repo, copy, 'src/rate.ts'), [...addedLines(repo, copy, 'src/rate.ts')], humanOwner(copy));
      const next = show(repo, copy, 'src/rate.ts').replace(/\n$/, '').split('\n');
      owners = carryLines(lines, owners, next, (line) => landed.get(line) ?? null);
      lines = next;
    });
    const s = summarizeOwners(owners.filter((o): o is LineOwner => o !== null));
    expect([s.agent, s.human]).toEqual([13, 3]);
  });
});

describe('carry properties', () => {
  // A random PR: each step inserts, deletes or rewrites lines of the previous version.
  const edit = fc.record({ at: fc.nat(40), del: fc.nat(3), ins: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 4 }) });
  const stepArb = fc.record({ agent: fc.boolean(), edits: fc.array(edit, { maxLength: 3 }) });
  function build(base: string[], specs: { agent: boolean; edits: { at: number; del: number; ins: number[] }[] }[]) {
    let cur = base;
    return specs.map((spec, k) => {
      const next = [...cur];
      for (const e of spec.edits) next.splice(Math.min(e.at, next.length), e.del, ...e.ins.map((v) => `line ${k}.${v}`));
      cur = next;
      const sha = `c${k}`;
      return { sha, text: next.length ? next.join('\n') + '\n' : '', ownerOf: () => (spec.agent ? agentOwner(sha) : humanOwner(sha)) } as FileStep;
    });
  }
  const base = Array.from({ length: 12 }, (_, i) => `base ${i}`);

  it('an unchanged file keeps every owner', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', '}'), { maxLength: 20 }), (lines) => {
        const owners = lines.map((_, i) => humanOwner(`s${i}`));
        expect(carryLines(lines, owners, lines, () => agentOwner('x'))).toEqual(owners);
      }),
    );
  });

  it('landing the head itself returns the head owners; lines nobody in the PR wrote are base (null)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 5 }), (specs) => {
        const steps = build(base, specs);
        const head = carryThroughPr(base.join('\n') + '\n', steps);
        const text = steps.at(-1)!.text;
        const all = head.lines.map((_, i) => i + 1);
        const landed = ownersOfLanded(head, text, all, humanOwner('landed'));
        head.owners.forEach((o, i) => expect(landed.get(i + 1)).toEqual(o ?? humanOwner('landed')));
        head.lines.forEach((l, i) => {
          if (l.startsWith('base ')) expect(head.owners[i]).toBeNull();
          else expect(head.owners[i]?.sha).toBe(`c${l.slice(5).split('.')[0]}`);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a line keeps the author of the step that last wrote it', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 5 }), (specs) => {
        const steps = build(base, specs);
        const head = carryThroughPr(base.join('\n') + '\n', steps);
        head.lines.forEach((l, i) => {
          const k = /^line (\d+)\./.exec(l)?.[1];
          if (k === undefined) return;
          // Equal texts from different steps may align to either; the owner is one of the steps that wrote that text.
          const writers = specs.flatMap((s, j) => (s.edits.some((e) => e.ins.some((v) => `line ${j}.${v}` === l)) ? [`c${j}`] : []));
          expect(writers).toContain(head.owners[i]?.sha);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the material rule', () => {
    expect([agentIsMaterial(0, 10), agentIsMaterial(5, 10), agentIsMaterial(4, 10), agentIsMaterial(50, 1000), agentIsMaterial(49, 1000)]).toEqual([false, true, false, true, false]);
  });
});
