/** Shallow clones: boundary commits are a baseline, a warning says how to deepen, a deeper fetch fills the history. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../src/db/node/open.ts';
import { commits, fileChanges } from '../../src/db/schema.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const CLAUDE = { name: 'claude[bot]', email: '209825114+claude[bot]@users.noreply.github.com' };
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' });

function history() {
  const repo = new GitFixture();
  cleanups.push(() => repo.cleanup());
  const big = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `export const ${tag}${i} = ${i};`).join('\n') + '\n';
  repo.write('src/core.ts', big(300, 'core')).commit({ author: CLAUDE, message: 'Scaffold core' });
  repo.write('src/util.ts', big(120, 'util')).commit({ message: 'Add util' });
  repo.write('src/a.ts', big(40, 'a')).commit({ author: CLAUDE, message: 'Add a' });
  repo.write('src/b.ts', big(10, 'b')).commit({ message: 'Add b' });
  repo.write('src/a.ts', big(45, 'a')).commit({ author: CLAUDE, message: 'Grow a' });
  repo.write('src/c.ts', big(8, 'c')).commit({ message: 'Add c' });
  return repo;
}

function shallowClone(src: string, depth: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'grasp-shallow-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  git(dir, 'clone', '-q', '--depth', String(depth), `file://${src}`, 'clone');
  return join(dir, 'clone');
}

function db() {
  const dir = tempDir();
  const store = openNodeStore(join(dir, 'g.db'));
  cleanups.push(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

/** Agent share of added lines over the given commits, and the rows themselves. */
async function shares(store: ReturnType<typeof db>, shas?: Set<string>) {
  const kinds = new Map((await store.db.select().from(commits).all()).map((c) => [c.sha, c.kind]));
  let agent = 0;
  let all = 0;
  for (const f of await store.db.select().from(fileChanges).all()) {
    if (shas && !shas.has(f.sha)) continue;
    all += f.added ?? 0;
    if (kinds.get(f.sha) === 'agent') agent += f.added ?? 0;
  }
  return { agent, all, share: all ? agent / all : 0 };
}

describe('shallow clones', () => {
  it('the boundary is a baseline: same agent share for the commits the clone has, and one warning with the fix', async () => {
    const repo = history();
    const full = db();
    await ingestRepository(full, repo.dir);
    const clone = shallowClone(repo.dir, 3);
    const shallow = db();
    const summary = await ingestRepository(shallow, clone);
    expect(summary.warnings.filter((w) => w.startsWith('shallow clone'))).toEqual([expect.stringContaining('git fetch --deepen')]);

    const boundary = git(clone, 'rev-parse', 'HEAD~2').trim();
    const boundaryFiles = (await shallow.db.select().from(fileChanges).all()).filter((f) => f.sha === boundary);
    expect(boundaryFiles).toEqual([]); // the whole tree is not "added" by the boundary commit
    const have = new Set(git(clone, 'rev-list', 'HEAD', `^${boundary}`).trim().split('\n'));
    expect(await shares(shallow)).toEqual(await shares(full, have));
    // "Grow a" adds 5 lines, "Add c" 8; without the baseline rule the boundary "Add b" would add all 470 lines of its tree.
    expect(await shares(shallow)).toEqual({ agent: 5, all: 13, share: 5 / 13 });
  });

  it('a later deeper fetch fills in the history without duplicates', async () => {
    const repo = history();
    const full = db();
    await ingestRepository(full, repo.dir);
    const clone = shallowClone(repo.dir, 2);
    const store = db();
    await ingestRepository(store, clone);
    git(clone, 'fetch', '-q', '--deepen', '2');
    await ingestRepository(store, clone);
    git(clone, 'fetch', '-q', '--unshallow');
    const last = await ingestRepository(store, clone);
    expect(last.warnings.filter((w) => w.startsWith('shallow clone'))).toEqual([]);

    const rows = await store.db.select().from(commits).all();
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(6);
    // Parents before children still: seq order is a topological order.
    const seqOf = new Map(rows.map((r) => [r.sha, r.seq]));
    for (const r of rows) for (const p of JSON.parse(r.parents) as string[]) expect(seqOf.get(p)!).toBeLessThan(r.seq);
    const strip = (f: typeof fileChanges.$inferSelect) => ({ sha: f.sha, path: f.path, added: f.added, newRanges: f.newRanges });
    const sort = (a: { sha: string; path: string }, b: { sha: string; path: string }) => (a.sha + a.path).localeCompare(b.sha + b.path);
    expect((await store.db.select().from(fileChanges).all()).map(strip).sort(sort)).toEqual((await full.db.select().from(fileChanges).all()).map(strip).sort(sort));
    expect(await shares(store)).toEqual(await shares(full));
  });
});
