import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync, unlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { openRepoStore } from '../helpers/repo-store.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';

import { getFileChanges, listCommits, listWarnings, getCommit } from '../../src/db/repo/commits.ts';
import { GitFixture, tempDir, HUMAN } from '../helpers/git-fixture.ts';

const CLAUDE = { name: 'Claude', email: 'noreply@anthropic.com' };
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup(): { repo: GitFixture; store: RepoStore; dbFile: string } {
  const repo = new GitFixture();
  const dir = tempDir();
  const dbFile = join(dir, 'grasp.db');
  const store = openRepoStore(dbFile);
  cleanups.push(() => {
    store.close();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  return { repo, store, dbFile };
}

describe('ingest', () => {
  it('stores root, merge, empty, rename, copy and binary commits with their file changes', async () => {
    const { repo, store } = setup();
    const root = repo.write('src/a.ts', 'export const a = 1;\nexport const b = 2;\n').commit({ message: 'root' });
    repo.branch('feature').checkout('feature');
    repo.write('src/b.ts', 'one\ntwo\nthree\n').commit({ message: 'feature work' });
    repo.checkout('main');
    repo.write('src/a.ts', 'export const a = 1;\nexport const b = 3;\nexport const c = 4;\n').commit({ message: 'main work' });
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #7 from x/feature', 'feature');
    const merge = repo.head();
    const empty = repo.commit({ message: 'empty', allowEmpty: true });
    repo.move('src/a.ts', 'src/renamed.ts');
    const renamed = repo.commit({ message: 'rename it (#12)' });
    repo.write('img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0, 9]));
    const binary = repo.commit({ message: 'binary' });

    const summary = await ingestRepository(store, repo.dir);
    expect(summary.newCommits).toBe(7);
    const all = await listCommits(store);
    // Newest first by author date (the merge was made now, after the fixture's clock).
    expect(all.map((c) => c.sha).slice(0, 2)).toEqual([merge, binary]);
    expect(all.map((c) => c.authorDate)).toEqual([...all.map((c) => c.authorDate)].sort((a, b) => b - a));
    // parents before children
    const seqOf = new Map(all.map((c) => [c.sha, c.seq]));
    for (const c of all) for (const p of JSON.parse(c.parents) as string[]) expect(seqOf.get(p)!).toBeLessThan(c.seq);

    const rootFiles = await getFileChanges(store, root);
    expect(rootFiles).toMatchObject([{ path: 'src/a.ts', status: 'A', added: 2, deleted: 0, newRanges: '1-2' }]);
    const mergeRow = await getCommit(store, merge);
    expect(JSON.parse(mergeRow!.parents)).toHaveLength(2);
    expect(mergeRow!.prNumber).toBe(7);
    const mergeFiles = await getFileChanges(store, merge);
    expect(mergeFiles.map((f) => [f.path, f.viaMerge])).toEqual([['src/b.ts', true]]);
    expect(await getFileChanges(store, empty)).toEqual([]);
    const ren = await getFileChanges(store, renamed);
    expect(ren).toMatchObject([{ path: 'src/renamed.ts', oldPath: 'src/a.ts', status: 'R', added: 0, deleted: 0 }]);
    expect((await getCommit(store, renamed))!.prNumber).toBe(12);
    const bin = await getFileChanges(store, binary);
    expect(bin).toMatchObject([{ path: 'img.png', binary: true, added: null, deleted: null, newRanges: '' }]);
  });

  it('records changed line ranges on both sides from -U0 hunks', async () => {
    const { repo, store } = setup();
    repo.write('f.ts', ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n') + '\n').commit();
    repo.write('f.ts', ['1', 'two', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n') + '\n');
    const sha = repo.commit();
    await ingestRepository(store, repo.dir);
    const [f] = await getFileChanges(store, sha);
    expect(f).toMatchObject({ added: 3, deleted: 1, newRanges: '2,9-10', oldRanges: '2' });
  });

  it('handles paths with spaces, newlines and non-UTF-8 bytes, and messages in other encodings', async () => {
    const { repo, store } = setup();
    repo.write('with space.ts', 'x\n').write('new\nline.ts', 'y\n').write('ü.ts', 'z\n');
    const sha = repo.commit({ message: 'odd paths' });
    // a Latin-1 file name and a Latin-1 encoded message
    const latin = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x73]); // "café.ts" in Latin-1
    const blob = repo.gitRaw(['hash-object', '-w', '--stdin'], 'latin\n').toString().trim();
    const tree = repo.gitRaw(['mktree', '-z'], Buffer.concat([Buffer.from(`100644 blob ${blob}\t`), latin, Buffer.from([0])])).toString().trim();
    const msg = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' message\n')]);
    const latinCommit = repo
      .gitRaw(['-c', 'i18n.commitEncoding=ISO-8859-1', 'commit-tree', tree, '-p', sha], msg, {
        GIT_AUTHOR_NAME: 'Jos\u00e9',
        GIT_AUTHOR_EMAIL: 'jose@example.com',
        GIT_COMMITTER_NAME: 'Jos\u00e9',
        GIT_COMMITTER_EMAIL: 'jose@example.com',
      })
      .toString()
      .trim();
    repo.git('update-ref', 'refs/heads/main', latinCommit);
    await ingestRepository(store, repo.dir);
    const paths = (await getFileChanges(store, sha)).map((f) => f.path).sort();
    expect(paths).toEqual(['new\nline.ts', 'with space.ts', 'ü.ts'].sort());
    const latinRow = await getCommit(store, latinCommit);
    expect(latinRow!.message).toBe('café message');
    const latinFiles = (await getFileChanges(store, latinCommit)).map((f) => f.path);
    expect(latinFiles).toContain('caf\u00e9.ts'); // Latin-1 bytes decoded one char per byte
  });

  it('is idempotent and incremental: a second run adds only new commits', async () => {
    const { repo, store } = setup();
    for (let i = 0; i < 5; i++) repo.write(`f${i}.ts`, `${i}\n`).commit({ message: `c${i}` });
    expect((await ingestRepository(store, repo.dir)).newCommits).toBe(5);
    expect((await ingestRepository(store, repo.dir)).newCommits).toBe(0);
    repo.write('g.ts', 'g\n').commit({ message: 'later' });
    const third = await ingestRepository(store, repo.dir);
    expect(third.newCommits).toBe(1);
    expect(third.totalCommits).toBe(6);
  });

  it('ingests a repository whose blobs are missing, with unknown line counts and one warning each', async () => {
    const { repo, store } = setup();
    repo.write('big.ts', Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n').write('small.ts', 'a\n').commit({ message: 'one' });
    repo.write('big.ts', Array.from({ length: 60 }, (_, i) => `line ${i * 2}`).join('\n') + '\n').write('small.ts', 'b\n');
    const two = repo.commit({ message: 'two' });
    repo.write('other.ts', 'c\n').commit({ message: 'three' });
    const blob = repo.head('HEAD~1:big.ts');
    unlinkSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const summary = await ingestRepository(store, repo.dir);
    expect(summary.newCommits).toBe(3);
    const files = await getFileChanges(store, two);
    const big = files.find((f) => f.path === 'big.ts')!;
    const small = files.find((f) => f.path === 'small.ts')!;
    expect(big).toMatchObject({ added: null, deleted: null });
    expect(small).toMatchObject({ added: 1, deleted: 1, newRanges: '1' });
    const warnings = await listWarnings(store);
    expect(warnings.filter((w) => w.code === 'missing-blob').map((w) => [w.sha, w.path])).toEqual([[two, 'big.ts']]);
  });

  it('refuses a path that is not a repository with a clear error', async () => {
    const { store } = setup();
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await expect(ingestRepository(store, dir)).rejects.toThrow(/not a git repository/);
    await expect(ingestRepository(store, join(dir, 'nope'))).rejects.toThrow(/not a directory/);
  });

  it('with --all-refs records the branch names that reach each commit and uses them as evidence', async () => {
    const { repo, store } = setup();
    repo.write('a.ts', 'a\n').commit();
    repo.branch('claude/fix-parser').checkout('claude/fix-parser');
    const onBranch = repo.write('b.ts', 'b\n').commit({ message: 'fix parser' });
    repo.checkout('main');
    await ingestRepository(store, repo.dir, { allRefs: true });
    const row = await getCommit(store, onBranch);
    expect(JSON.parse(row!.branches)).toEqual(['claude/fix-parser']);
    expect(row!.kind).toBe('agent');
    expect(row!.agent).toBe('claude');
    expect(JSON.parse(row!.evidence)).toContainEqual(expect.objectContaining({ signal: 'branch-name' }));
  });

  it('classifies an agent commit from its Co-authored-by trailer', async () => {
    const { repo, store } = setup();
    const sha = repo.write('a.ts', 'a\n').commit({ author: HUMAN, message: 'Add a\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    const bot = repo.write('b.ts', 'b\n').commit({ author: CLAUDE, message: 'by claude itself' });
    await ingestRepository(store, repo.dir);
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'agent', agent: 'claude' });
    expect(await getCommit(store, bot)).toMatchObject({ kind: 'agent', agent: 'claude' });
  });

  it('reads an empty repository without error', async () => {
    const { repo, store } = setup();
    const s = await ingestRepository(store, repo.dir);
    expect(s.newCommits).toBe(0);
    expect(existsSync(repo.dir)).toBe(true);
  });
});

describe('ingest command line', () => {
  it('prints a JSON summary and lists commits as JSON newest first', () => {
    const { repo, dbFile } = setup();
    repo.write('a.ts', 'a\n').commit({ message: 'first' });
    repo.write('b.ts', 'b\n').commit({ author: CLAUDE, message: 'second' });
    const bin = join(process.cwd(), 'bin/grasp.mjs');
    const out = execFileSync('node', [bin, 'ingest', repo.dir, '--db', dbFile, '--json', '--no-analyze'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ newCommits: 2, kinds: { agent: 1, human: 1, bot: 0 } });
    const list = JSON.parse(execFileSync('node', [bin, 'commits', '--db', dbFile, '--json'], { encoding: 'utf8' }));
    expect(list.map((c: { kind: string }) => c.kind)).toEqual(['agent', 'human']);
    expect(list[0]).toEqual({
      sha: repo.head(),
      author: 'Claude',
      email: 'noreply@anthropic.com',
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      kind: 'agent',
      agent: 'claude',
      confidence: expect.any(Number),
      evidence: expect.arrayContaining([expect.objectContaining({ signal: expect.any(String), detail: expect.any(String) })]),
      pr: null,
    });
    const agentsOnly = JSON.parse(execFileSync('node', [bin, 'commits', '--db', dbFile, '--json', '--agent'], { encoding: 'utf8' }));
    expect(agentsOnly).toHaveLength(1);
  });
});
