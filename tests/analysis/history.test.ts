/** Symbol analysis over real git history: attribution per method, identity across renames and moves, file-level statuses. */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { formatGitAiNote } from '../../src/core/git-ai-note.ts';
import { openRepoStore } from '../helpers/repo-store.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';

import { getChangesForCommit, getCurrentSymbols, getSymbolOrThrow, getSymbolHistory, getSymbolText } from '../../src/db/repo/symbols.ts';
import { fileAnalyses, fileChanges, symbolChanges } from '../../src/db/schema.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, HUMAN, HUMAN2, tempDir } from '../helpers/git-fixture.ts';

const CLAUDE = { name: 'Claude', email: 'noreply@anthropic.com' };

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const repo = new GitFixture();
  const dir = tempDir();
  const store = openRepoStore(join(dir, 'g.db'));
  cleanups.push(() => {
    store.close();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  return { repo, store, dir };
}

async function ingestAndAnalyze(store: RepoStore, repo: GitFixture) {
  await ingestRepository(store, repo.dir);
  return analyzeRepository(store, repo.dir);
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;

const CACHE_V1 = lines(
  'export class Cache {',
  '  private items = new Map<string, number>();',
  '  get(key: string) {',
  '    return this.items.get(key);',
  '  }',
  '  set(key: string, value: number) {',
  '    this.items.set(key, value);',
  '  }',
  '}',
);
const CACHE_V2 = CACHE_V1.replace('    return this.items.get(key);\n', '    if (!key) return undefined;\n    return this.items.get(key) ?? 0;\n');
const CACHE_V3 = CACHE_V2.replace('    this.items.set(key, value);\n', "    if (value < 0) throw new Error('negative');\n    this.items.set(key, value);\n");

describe('attribution per symbol', () => {
  it('credits an agent commit and a human commit to the methods each one touched', async () => {
    const { repo, store } = setup();
    const first = repo.write('src/cache.ts', CACHE_V1).commit({ author: HUMAN });
    const agent = repo.write('src/cache.ts', CACHE_V2).commit({ author: CLAUDE, message: 'Guard empty keys' });
    const human = repo.write('src/cache.ts', CACHE_V3).commit({ author: HUMAN2, message: 'Reject negatives' });
    await ingestAndAnalyze(store, repo);

    const pick = (rows: Awaited<ReturnType<typeof getChangesForCommit>>) =>
      rows.map((r) => ({ name: r.name, change: r.change, agentLines: r.agentLines, humanLines: r.humanLines }));
    expect(pick(await getChangesForCommit(store, first))).toEqual([
      { name: 'Cache', change: 'added', agentLines: 0, humanLines: 3 },
      { name: 'Cache.get', change: 'added', agentLines: 0, humanLines: 3 },
      { name: 'Cache.set', change: 'added', agentLines: 0, humanLines: 3 },
    ]);
    expect(pick(await getChangesForCommit(store, agent))).toEqual([{ name: 'Cache.get', change: 'modified', agentLines: 2, humanLines: 0 }]);
    expect(pick(await getChangesForCommit(store, human))).toEqual([{ name: 'Cache.set', change: 'modified', agentLines: 0, humanLines: 1 }]);

    const current = new Map((await getCurrentSymbols(store, { file: 'src/cache.ts' })).map((s) => [s.name, s]));
    expect(current.get('Cache.get')).toMatchObject({ agentLines: 2, humanLines: 2, changeCount: 2, lastSha: agent, complexity: 3 });
    expect(JSON.parse(current.get('Cache.get')!.authors)).toEqual([HUMAN.email, CLAUDE.email].sort());
    expect(current.get('Cache.set')).toMatchObject({ agentLines: 0, humanLines: 4, changeCount: 2, lastSha: human, complexity: 2 });
    expect(JSON.parse(current.get('Cache.set')!.authors)).toEqual([HUMAN.email, HUMAN2.email].sort());
    expect(current.get('Cache')).toMatchObject({ agentLines: 0, humanLines: 3, changeCount: 1 });
  });

  it("counts a Co-authored-by agent commit's lines as agent lines and adds up per file", async () => {
    const { repo, store } = setup();
    repo.write('src/a.ts', lines('export function one() {', '  return 1;', '}')).commit();
    const sha = repo
      .write('src/a.ts', lines('export function one() {', '  return 1;', '}', 'export function two() {', '  return 2;', '}', 'console.log(one());'))
      .write('src/b.js', lines('const x = 1;', 'module.exports.read = function () {', '  return x;', '};'))
      .commit({ author: HUMAN, message: 'Add two\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    await ingestAndAnalyze(store, repo);
    const changes = await getChangesForCommit(store, sha);
    const files = await store.db.select().from(fileAnalyses).where(eq(fileAnalyses.sha, sha)).all();
    const diff = await store.db.select().from(fileChanges).where(eq(fileChanges.sha, sha)).all();
    for (const file of ['src/a.ts', 'src/b.js']) {
      const added = diff.find((d) => d.path === file)!.added!;
      const fa = files.find((f) => f.path === file)!;
      expect(fa.agentLines + fa.humanLines).toBe(added);
      expect(fa.humanLines).toBe(0);
      const sum = changes.filter((c) => c.file === file).reduce((n, c) => n + c.agentLines + c.humanLines, 0);
      expect(sum, file).toBe(added);
    }
    expect(changes.map((c) => `${c.file}:${c.name}:${c.change}`)).toEqual([
      'src/a.ts:(module):added',
      'src/a.ts:two:added',
      'src/b.js:x:added', // a constant is a unit of its own; b.js has no other top-level code
      'src/b.js:module.exports.read:added',
    ]);
  });

  it('takes agent lines from git-ai notes line by line when a commit has them', async () => {
    const { repo, store } = setup();
    repo.write('src/m.ts', lines('export function a() {', '  return 1;', '}', 'export function b() {', '  return 2;', '}')).commit();
    const sha = repo
      .write('src/m.ts', lines('export function a() {', '  const v = 1;', '  return v;', '}', 'export function b() {', '  const w = 2;', '  return w;', '}'))
      .commit({ author: HUMAN });
    repo.note(
      sha,
      formatGitAiNote({
        schemaVersion: 'authorship/3.0.0',
        files: [{ path: 'src/m.ts', sessions: [{ session: 'abc1234def567890', ranges: [[2, 3]] }] }],
        sessions: { abc1234def567890: { agent: 'claude', model: 'claude-sonnet-4' } },
      }),
    );
    await ingestAndAnalyze(store, repo);
    const rows = await getChangesForCommit(store, sha);
    expect(rows.map((r) => [r.name, r.agentLines, r.humanLines])).toEqual([
      ['a', 2, 0],
      ['b', 0, 2],
    ]);
  });

  it('does not count a formatting-only change as a symbol change', async () => {
    const { repo, store } = setup();
    repo.write('src/cache.ts', CACHE_V1).commit();
    const sha = repo.write('src/cache.ts', CACHE_V1.replace('  get(key: string) {', '  // Looks a key up.\n  get( key: string ) {')).commit({ author: CLAUDE });
    await ingestAndAnalyze(store, repo);
    expect(await getChangesForCommit(store, sha)).toEqual([]);
    const [fa] = await store.db.select().from(fileAnalyses).where(eq(fileAnalyses.sha, sha)).all();
    expect(fa).toMatchObject({ status: 'ok', agentLines: 2, humanLines: 0 });
  });
});

describe('identity across history', () => {
  it('keeps identities through a file rename and records the symbols as moved', async () => {
    const { repo, store } = setup();
    repo.write('src/cache.ts', CACHE_V1).commit();
    const before = await (async () => {
      await ingestAndAnalyze(store, repo);
      return getSymbolOrThrow(store, 'src/cache.ts', 'Cache.get');
    })();
    const sha = repo.move('src/cache.ts', 'src/store/cache.ts').commit();
    await ingestAndAnalyze(store, repo);
    const after = await getSymbolOrThrow(store, 'src/store/cache.ts', 'Cache.get');
    expect(after.id).toBe(before.id);
    expect(after.alive).toBe(true);
    const changes = await getChangesForCommit(store, sha);
    expect(changes.every((c) => c.change === 'moved' && c.oldFile === 'src/cache.ts')).toBe(true);
    expect(changes.map((c) => c.name).sort()).toEqual(['Cache', 'Cache.get', 'Cache.set']);
    expect(await getCurrentSymbols(store, { file: 'src/cache.ts' })).toEqual([]);
  });

  it('recognises a function moved to another file, and one renamed in place, as moves', async () => {
    const { repo, store } = setup();
    const body = ['  const parts = s.split("-").map(Number);', '  return new Date(parts[0]!, parts[1]! - 1, parts[2]!);', '}'];
    repo.write('src/util.ts', lines('export function parseDay(s: string) {', ...body, 'export function keep() { return 1; }')).commit({ author: HUMAN });
    const move = repo
      .write('src/util.ts', lines('export function keep() { return 1; }'))
      .write('src/dates.ts', lines('// dates', '', 'export function parseDay(s: string) {', ...body))
      .commit({ author: CLAUDE });
    const rename = repo.write('src/dates.ts', lines('// dates', '', 'export function readDay(s: string) {', ...body)).commit({ author: HUMAN2 });
    await ingestAndAnalyze(store, repo);

    const moved = (await getChangesForCommit(store, move)).find((c) => c.name === 'parseDay')!;
    expect(moved).toMatchObject({ change: 'moved', file: 'src/dates.ts', oldFile: 'src/util.ts', oldName: null, agentLines: 0, humanLines: 0 });
    const renamed = (await getChangesForCommit(store, rename)).find((c) => c.name === 'readDay')!;
    expect(renamed).toMatchObject({ change: 'moved', file: 'src/dates.ts', oldFile: null, oldName: 'parseDay' });
    expect(renamed.symbolId).toBe(moved.symbolId);
    const history = await getSymbolHistory(store, moved.symbolId);
    expect(history.map((h) => h.change)).toEqual(['added', 'moved', 'moved']);
    // The moved lines keep their original (human) origin; only the renamed line is new.
    const current = await getSymbolOrThrow(store, 'src/dates.ts', 'readDay');
    expect(current).toMatchObject({ id: moved.symbolId, agentLines: 0, humanLines: 4 });
    expect(JSON.parse(current.authors)).toEqual([HUMAN.email, HUMAN2.email].sort());
  });
});

describe('files kept at file granularity', () => {
  it('records parse errors, generated, minified, ignored, vendored, too-large and other files with a reason', async () => {
    const { repo, store } = setup();
    repo.write('src/cache.ts', CACHE_V1).commit();
    const minified = `var a=${'1+'.repeat(1500)}1;function f(b){return b?a:0}\n`;
    const sha = repo
      .write('src/cache.ts', CACHE_V1.replace('  get(key: string) {', '  get(key: string {'))
      .write('src/gen/api.ts', lines('// @generated by protoc. DO NOT EDIT.', 'export const x = 1;'))
      .write('public/app.js', minified)
      .write('dist/index.js', 'module.exports = 1;\n')
      .write('third_party/lib.js', 'exports.a = 1;\n')
      .write('src/schema.ts', 'export const s = 1;\n')
      .write('src/big.ts', `export const big = [${'1,'.repeat(600_000)}];\n`)
      .write('docs/notes.md', '# notes\n')
      .write('.gitattributes', 'third_party/** linguist-vendored\nsrc/schema.ts linguist-generated=true\n')
      .commit();
    await ingestAndAnalyze(store, repo);
    const rows = new Map((await store.db.select().from(fileAnalyses).where(eq(fileAnalyses.sha, sha)).all()).map((r) => [r.path, r]));
    expect(rows.get('src/cache.ts')).toMatchObject({ status: 'parse-error', reason: expect.stringMatching(/^line 3: /) });
    expect(rows.get('src/gen/api.ts')).toMatchObject({ status: 'generated', reason: expect.stringContaining('@generated') });
    expect(rows.get('public/app.js')).toMatchObject({ status: 'generated', reason: expect.stringContaining('minified') });
    expect(rows.get('dist/index.js')).toMatchObject({ status: 'ignored', reason: expect.stringContaining('dist') });
    expect(rows.get('third_party/lib.js')).toMatchObject({ status: 'ignored', reason: expect.stringContaining('linguist-vendored') });
    expect(rows.get('src/schema.ts')).toMatchObject({ status: 'generated', reason: expect.stringContaining('linguist-generated') });
    expect(rows.get('src/big.ts')).toMatchObject({ status: 'too-large' });
    expect(rows.get('docs/notes.md')).toMatchObject({ status: 'unsupported' });
    expect(rows.get('.gitattributes')).toMatchObject({ status: 'unsupported' });
    expect([...rows.keys()].sort()).toEqual(['.gitattributes', 'dist/index.js', 'docs/notes.md', 'public/app.js', 'src/big.ts', 'src/cache.ts', 'src/gen/api.ts', 'src/schema.ts', 'third_party/lib.js']);
    // A syntax error is no reason to delete the file's symbols.
    expect(await getChangesForCommit(store, sha)).toEqual([]);
    expect((await getCurrentSymbols(store, { file: 'src/cache.ts' })).map((s) => s.name).sort()).toEqual(['Cache', 'Cache.get', 'Cache.set']);
  });

  it('picks up where it left off after a syntax error is fixed, with the same identities', async () => {
    const { repo, store } = setup();
    repo.write('src/cache.ts', CACHE_V1).commit();
    repo.write('src/cache.ts', CACHE_V1.replace('  get(key: string) {', '  get(key: string {')).commit();
    const fix = repo.write('src/cache.ts', CACHE_V2).commit({ author: CLAUDE });
    await ingestAndAnalyze(store, repo);
    const changes = await getChangesForCommit(store, fix);
    expect(changes.map((c) => [c.name, c.change])).toEqual([['Cache.get', 'modified']]);
    const history = await getSymbolHistory(store, changes[0]!.symbolId);
    expect(history.map((h) => h.change)).toEqual(['added', 'modified']);
  });
});

describe('merges', () => {
  it("credits a branch's lines to the branch commit, not to the merge", async () => {
    const { repo, store } = setup();
    repo.write('src/cache.ts', CACHE_V1).commit({ author: HUMAN });
    repo.branch('feature').checkout('feature');
    const feature = repo.write('src/cache.ts', CACHE_V2).commit({ author: CLAUDE });
    repo.checkout('main');
    repo.write('README.md', 'hello\n').commit({ author: HUMAN });
    repo.git('merge', '--no-ff', '-q', '-m', 'Merge feature', 'feature');
    const merge = repo.head();
    await ingestAndAnalyze(store, repo);
    expect(await getChangesForCommit(store, merge)).toEqual([]);
    const get = await getSymbolOrThrow(store, 'src/cache.ts', 'Cache.get');
    expect(get).toMatchObject({ agentLines: 2, humanLines: 2, lastSha: feature, changeCount: 2 });
  });

  it('reports only the lines a conflicted merge wrote itself', async () => {
    const { repo, store } = setup();
    repo.write('src/cache.ts', CACHE_V1).commit({ author: HUMAN });
    repo.branch('feature').checkout('feature');
    repo.write('src/cache.ts', CACHE_V2).commit({ author: CLAUDE });
    repo.checkout('main');
    repo.write('src/cache.ts', CACHE_V1.replace('return this.items.get(key);', 'return this.items.get(key) || -1;')).commit({ author: HUMAN2 });
    expect(() => repo.git('merge', '-q', 'feature')).toThrow();
    const resolved = CACHE_V1.replace('    return this.items.get(key);\n', '    if (!key) return undefined;\n    return this.items.get(key) ?? -1;\n');
    const merge = repo.write('src/cache.ts', resolved).commit({ author: HUMAN, message: 'Merge feature' });
    expect(repo.git('rev-list', '--parents', '-n', '1', merge).trim().split(' ')).toHaveLength(3);
    await ingestAndAnalyze(store, repo);
    const changes = await getChangesForCommit(store, merge);
    expect(changes.map((c) => [c.name, c.change, c.agentLines, c.humanLines])).toEqual([['Cache.get', 'modified', 0, 1]]);
    const [fa] = await store.db.select().from(fileAnalyses).where(eq(fileAnalyses.sha, merge)).all();
    expect(fa).toMatchObject({ path: 'src/cache.ts', agentLines: 0, humanLines: 1 });
    expect(await getSymbolOrThrow(store, 'src/cache.ts', 'Cache.get')).toMatchObject({ agentLines: 1, humanLines: 3, lastSha: merge });
  });
});

describe('runs', () => {
  it('is resumable after a crash mid-run and a re-run changes nothing', async () => {
    const { repo, store, dir } = setup();
    for (let i = 0; i < 6; i++) {
      repo.write(`src/f${i % 3}.ts`, lines(`export function f${i}() {`, `  return ${i};`, '}', `export const v${i} = ${i};`)).commit({ author: i % 2 ? CLAUDE : HUMAN });
    }
    await ingestRepository(store, repo.dir);
    await expect(
      analyzeRepository(store, repo.dir, {
        batchSize: 2,
        onProgress: ({ done }) => {
          if (done === 4) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const partial = await store.db.select().from(symbolChanges).all();
    expect(partial.length).toBeGreaterThan(0);
    await analyzeRepository(store, repo.dir, { batchSize: 2 });

    const fresh = openRepoStore(join(dir, 'fresh.db'));
    cleanups.push(() => fresh.close());
    await ingestRepository(fresh, repo.dir);
    const summary = await analyzeRepository(fresh, repo.dir);
    expect(summary.commits).toBe(6);
    const dump = async (s: RepoStore) => ({
      changes: await s.db.select().from(symbolChanges).orderBy(symbolChanges.sha, symbolChanges.file, symbolChanges.name).all(),
      current: (await getCurrentSymbols(s)).map(({ id: _id, ...rest }) => rest),
    });
    const resumed = await dump(store);
    expect(resumed).toEqual(await dump(fresh));

    const again = await analyzeRepository(store, repo.dir);
    expect(again.commits).toBe(0);
    expect(await dump(store)).toEqual(resumed);
  });

  it('stores the text of each symbol version for later comparison', async () => {
    const { repo, store } = setup();
    repo.write('src/cache.ts', CACHE_V1).commit();
    await ingestAndAnalyze(store, repo);
    const cls = await getSymbolOrThrow(store, 'src/cache.ts', 'Cache');
    const get = await getSymbolOrThrow(store, 'src/cache.ts', 'Cache.get');
    expect(await getSymbolText(store, get.hash)).toBe('  get(key: string) {\n    return this.items.get(key);\n  }');
    expect(await getSymbolText(store, cls.hash)).toBe(
      ['export class Cache {', '  private items = new Map<string, number>();', '  get(key: string) { …', '  set(key: string, value: number) { …', '}'].join('\n'),
    );
  });
});
