/**
 * The queue's range walk (src/desk/commit-range.ts) against commitsInRange, the walk every other
 * command uses, on a real git history with branches, merges both ways and a criss-cross: for every
 * (base, head) pair of commits the two give the same set of commits, whatever the window size
 * forces (the history is longer than the first window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openNodeStore } from '../../src/db/node/open.ts';
import { commitSeqs } from '../../src/db/repo/queue.ts';
import { commitsInRange } from '../../src/db/repo/targets.ts';
import { forRepo, type RepoStore, type Store } from '../../src/db/store.ts';
import { CommitWindows } from '../../src/desk/commit-range.ts';
import { buildHistory, GitFixture, tempDir } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');

describe('base..head over shared windows of the history', () => {
  const repo = new GitFixture();
  const db = join(tempDir('grasp-commit-range-'), 'g.db');
  let store: Store;
  let scoped: RepoStore;
  const tips: string[] = [];

  beforeAll(() => {
    buildHistory(repo, 300, 5); // longer than the first window (256 commits)
    repo.git('reset', '-q', '--hard', 'main');
    const fork = repo.head();
    const step = (file: string, text: string, message: string) => tips.push(repo.write(file, text).commit({ message }));
    repo.branch('feature', fork).checkout('feature');
    step('src/f.ts', 'export const f = 1;\n', 'feature 1');
    repo.checkout('main');
    step('src/m.ts', 'export const m = 1;\n', 'main 1');
    repo.checkout('feature');
    repo.git('merge', '-q', '--no-edit', 'main'); // main merged into the feature branch
    tips.push(repo.head());
    step('src/f.ts', 'export const f = 2;\n', 'feature 2');
    repo.checkout('main');
    step('src/m.ts', 'export const m = 2;\n', 'main 2');
    repo.branch('other', tips[1]!).checkout('other');
    step('src/o.ts', 'export const o = 1;\n', 'other 1');
    repo.git('merge', '-q', '--no-edit', 'feature'); // criss-cross: other and main both take feature
    tips.push(repo.head());
    repo.checkout('main');
    repo.git('merge', '-q', '--no-edit', 'feature');
    tips.push(repo.head());
    tips.push(fork, repo.head('main~290'));
    execFileSync('node', [bin, 'ingest', repo.dir, '--db', db, '--all-refs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    store = openNodeStore(db);
    scoped = forRepo(store, 1);
  }, 120_000);
  afterAll(() => {
    store?.close();
    repo.cleanup();
  });

  it('gives the commits reachable from head and not from base, for every pair of tips', async () => {
    const seqs = await commitSeqs(scoped, tips);
    expect(seqs.size).toBe(new Set(tips).size);
    const windows = new CommitWindows(scoped, Math.max(...seqs.values()));
    let nonEmpty = 0;
    for (const base of tips) {
      for (const head of tips) {
        const expected = (await commitsInRange(scoped, base, head)).sort();
        const got = (await windows.range({ sha: base, seq: seqs.get(base)! }, { sha: head, seq: seqs.get(head)! })).sort();
        expect(got, `${base.slice(0, 7)}..${head.slice(0, 7)}`).toEqual(expected);
        if (expected.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
    // The oldest tip's ranges reach past the first window.
    expect((await commitsInRange(scoped, tips[tips.length - 1]!, tips[tips.length - 2]!)).length).toBeGreaterThan(0);
  });
});
