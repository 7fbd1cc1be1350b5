/**
 * One database, three repositories, two engineers: engineers are team-wide, marks cover their own
 * repository only (the same function, same content hash, in another repository is not understood),
 * and removing a repository keeps every mark. Real git fixtures, real ingest and analysis.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { marksForTarget, recordMarks } from '../../src/db/repo/marks.ts';
import { chooseRepository, listRepoListings, removeRepo } from '../../src/db/repo/repos.ts';
import { listCommits } from '../../src/db/repo/commits.ts';
import { marks } from '../../src/db/schema.ts';
import { forRepo, type RepoStore, type Store } from '../../src/db/store.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { buildEngineerReport } from '../../src/report/engineer-report.ts';
import { GitFixture, HUMAN, HUMAN2, type Person } from '../helpers/git-fixture.ts';
import { openTempStore, tempDbPath } from '../helpers/marks-seed.ts';

const AGENT_TRAILER = 'Co-authored-by: Claude <noreply@anthropic.com>';
// The same helper, byte for byte, in web and api: same content hash in two repositories.
const SHARED = 'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return lo;\n  if (x > hi) return hi;\n  return x;\n}\n';

function fixture(files: Record<string, string>, author: Person): GitFixture {
  const repo = new GitFixture();
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  repo.commit({ message: `feat: first version\n\n${AGENT_TRAILER}\n`, author });
  return repo;
}

let store: Store;
let dbFile: string;
const repos: Record<'web' | 'api' | 'lib', GitFixture> = {} as never;
const scoped: Record<string, RepoStore> = {};

beforeAll(async () => {
  dbFile = tempDbPath();
  store = openTempStore(dbFile);
  repos.web = fixture({ 'src/util.ts': SHARED, 'src/page.ts': 'export function render(): string {\n  return "<p>hi</p>";\n}\n' }, HUMAN);
  repos.api = fixture({ 'src/util.ts': SHARED, 'src/route.ts': 'export function handle(id: string): string {\n  return id.trim();\n}\n' }, HUMAN);
  repos.lib = fixture({ 'src/index.ts': 'export const VERSION = "1.0.0";\n' }, HUMAN2);
  for (const [name, repo] of Object.entries(repos)) {
    const summary = await ingestRepository(store, repo.dir, { name });
    scoped[name] = forRepo(store, summary.repoId);
    await analyzeRepository(scoped[name]!, repo.dir);
  }
  // Ada's email wrote commits in web and api; Bob's in lib.
  await addEngineer(store, { handle: 'ada', emails: [HUMAN.email] });
  await addEngineer(store, { handle: 'bob', emails: [HUMAN2.email] });
}, 120_000);

afterAll(() => {
  store.close();
  for (const repo of Object.values(repos)) rmSync(repo.dir, { recursive: true, force: true });
  rmSync(dbFile, { force: true });
});

describe('three repositories in one database', () => {
  it('lists each repository with its own history', async () => {
    const listed = await listRepoListings(store);
    expect(listed.map((r) => [r.name, r.commits])).toEqual([
      ['api', 1],
      ['lib', 1],
      ['web', 1],
    ]);
    for (const name of ['web', 'api', 'lib']) {
      const commits = await listCommits(scoped[name]!);
      expect(commits).toHaveLength(1);
      expect(commits[0]!.sha).toBe(repos[name as 'web'].git('rev-parse', 'HEAD').trim());
    }
  });

  it('the same email in two repositories is one engineer, with items from both in one report', async () => {
    const report = await buildEngineerReport(store, 'ada', { limit: 50 });
    const byRepo = new Set(report.items.map((i) => i.repo));
    expect(byRepo).toEqual(new Set(['web', 'api', 'lib']));
    // clamp exists twice: once per repository, each its own item.
    expect(report.items.filter((i) => i.symbol === 'clamp').map((i) => i.repo).sort()).toEqual(['api', 'web']);
  });

  it('a mark in one repository never covers the identical function in another', async () => {
    const ada = { id: 1, handle: 'ada' };
    const written = await recordMarks(scoped.web!, { engineer: ada, target: 'src/util.ts#clamp', level: 'reviewed', source: 'cli' });
    expect(written).toHaveLength(1);
    const inWeb = await marksForTarget(scoped.web!, 'src/util.ts#clamp');
    const inApi = await marksForTarget(scoped.api!, 'src/util.ts#clamp');
    expect(inWeb.items[0]!.hash).toBe(inApi.items[0]!.hash); // same content hash...
    expect(inWeb.items[0]!.marks.map((m) => m.engineer)).toEqual(['ada']);
    expect(inApi.items[0]!.marks).toEqual([]); // ...but not understood in api

    const report = await buildEngineerReport(store, 'bob', { limit: 50 });
    const clamp = report.items.filter((i) => i.symbol === 'clamp');
    expect(clamp.find((i) => i.repo === 'web')?.understoodBy).toEqual(['ada']);
    expect(clamp.find((i) => i.repo === 'api')?.understoodBy).toEqual([]);
  });

  it('a short target names the repositories it matches when several are tracked', async () => {
    await expect(chooseRepository(store, {})).rejects.toThrow(/tracks 3 repositories \(api, lib, web\): pick one/);
  });

  it('removing a repository deletes its history and symbols and keeps every mark', async () => {
    const before = await store.db.select().from(marks).all();
    expect(before.length).toBeGreaterThan(0);
    const removed = await removeRepo(store, 'web');
    expect(removed).toMatchObject({ name: 'web', commits: 1 });
    expect(removed.symbols).toBeGreaterThan(0);
    expect(await store.db.select().from(marks).all()).toEqual(before);
    expect((await listRepoListings(store)).map((r) => r.name)).toEqual(['api', 'lib']);
    expect(await listCommits(scoped.web!)).toEqual([]);
    expect(await listCommits(scoped.api!)).toHaveLength(1);
  });
});
