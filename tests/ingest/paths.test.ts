/** `grasp ingest` on unusual repositories: bare, shallow, with submodules, with a corrupt object. Never a hang. */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { getFileChanges, listCommits } from '../../src/db/repo/commits.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function fixture(n = 4): GitFixture {
  const repo = new GitFixture();
  cleanups.push(() => repo.cleanup());
  for (let i = 0; i < n; i++) repo.write(`src/f${i}.ts`, `export const v${i} = ${i};\n`).commit({ message: `c${i}` });
  return repo;
}

function store() {
  const dir = tempDir();
  const s = openRepoStore(join(dir, 'g.db'));
  cleanups.push(() => {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return s;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'protocol.file.allow=always', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
}

describe('ingest on unusual repositories', () => {
  it('reads a bare repository', async () => {
    const repo = fixture();
    const bare = tempDir();
    cleanups.push(() => rmSync(bare, { recursive: true, force: true }));
    git(bare, 'clone', '-q', '--bare', repo.dir, '.');
    const s = await ingestRepository(store(), bare);
    expect(s.newCommits).toBe(4);
  });

  it('reads a shallow clone: the commits it has, the boundary commit as a baseline', async () => {
    const repo = fixture(6);
    const shallow = tempDir();
    cleanups.push(() => rmSync(shallow, { recursive: true, force: true }));
    git(shallow, 'clone', '-q', '--depth', '2', `file://${repo.dir}`, '.');
    const st = store();
    const s = await ingestRepository(st, shallow);
    expect(s.newCommits).toBe(2);
    const files = await getFileChanges(st, (await listCommits(st))[1]!.sha);
    // The boundary commit's tree is a baseline, not a change: it adds no lines (see tests/ingest/shallow*.test.ts).
    expect(files).toEqual([]);
    expect(s.warnings.join('\n')).toMatch(/shallow/i);
    expect((await ingestRepository(st, shallow)).newCommits).toBe(0);
  });

  it('reads a repository with a submodule, recording the gitlink change', async () => {
    const sub = fixture(1);
    const repo = fixture(1);
    git(repo.dir, 'submodule', '-q', 'add', sub.dir, 'vendor/sub');
    const sha = repo.commit({ message: 'add submodule' });
    const st = store();
    await ingestRepository(st, repo.dir);
    const files = await getFileChanges(st, sha);
    expect(files.map((f) => f.path).sort()).toEqual(['.gitmodules', 'vendor/sub']);
  });

  it('stops with a clear error on a corrupt object and keeps the commits stored before it', async () => {
    const repo = fixture(5);
    // corrupt the blob of the last commit's file
    const blob = repo.head('HEAD:src/f4.ts');
    const objPath = join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(objPath, 0o644);
    writeFileSync(objPath, Buffer.from('this is not a zlib stream'));
    const st = store();
    const started = Date.now();
    let error: unknown = null;
    try {
      await ingestRepository(st, repo.dir, { batchSize: 1 });
    } catch (err) {
      error = err;
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    if (error) {
      expect(String(error)).toMatch(/git|object|corrupt|read/i);
      const stored = await listCommits(st);
      expect(stored.length).toBeGreaterThanOrEqual(4);
    } else {
      // git could recover: then the whole history is there and the bad file has unknown counts
      expect((await listCommits(st)).length).toBe(5);
    }
  });

  it('a missing directory inside .git/objects does not hang ingest', async () => {
    const repo = fixture(2);
    const dirs = readdirSync(join(repo.dir, '.git', 'objects')).filter((d) => d.length === 2);
    expect(dirs.length).toBeGreaterThan(0);
    const st = store();
    await expect(ingestRepository(st, repo.dir)).resolves.toMatchObject({ newCommits: 2 });
  });
});
