/**
 * The team-wide read routes over a database of two repositories (real git fixtures, ingest and
 * analysis, the real app): without `repo` they cover both repositories, with `repo=NAME` only that
 * one, an unknown name is a 404 listing the known ones and a malformed one a 400; the digest's
 * per-repository answers are cached per repository, not mixed up with the team's.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { buildDigest } from '../../src/digest/build.ts';
import { digestBuilds } from '../../src/digest/cache.ts';
import type { Digest } from '../../src/digest/types.ts';
import { addEngineer, getEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { forRepo, type RepoStore, type Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/app.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import type { EngineerReport } from '../../src/report/engineer-report.ts';
import type { HotspotsReport } from '../../src/report/hotspots-report.ts';
import { GitFixture, HUMAN } from '../helpers/git-fixture.ts';
import { openTempStore, tempDbPath } from '../helpers/marks-seed.ts';

const NOW_MS = Date.parse('2026-11-24T12:00:00Z');
const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';

let store: Store;
let dbFile: string;
const repo = {} as Record<'web' | 'api', GitFixture>;
const scoped = {} as Record<'web' | 'api', RepoStore>;

beforeAll(async () => {
  dbFile = tempDbPath();
  store = openTempStore(dbFile);
  await addEngineer(store, { handle: 'ada', emails: [HUMAN.email] });
  repo.web = new GitFixture();
  repo.web.write('src/page.ts', "export function render(title: string): string {\n  return title ? '<h1>' + title + '</h1>' : '';\n}\n");
  repo.web.commit({ message: `feat: page\n\n${CLAUDE}\n`, date: '2026-11-17T10:00:00Z', author: HUMAN });
  repo.api = new GitFixture();
  repo.api.write('src/route.ts', 'export function handle(id: string): string {\n  if (!id) return "missing";\n  return id.trim();\n}\n');
  repo.api.commit({ message: `feat: route\n\n${CLAUDE}\n`, date: '2026-11-18T10:00:00Z', author: HUMAN });
  for (const name of ['web', 'api'] as const) {
    const { repoId } = await ingestRepository(store, repo[name].dir, { name });
    scoped[name] = forRepo(store, repoId);
    await analyzeRepository(scoped[name], repo[name].dir);
  }
}, 120_000);

afterAll(() => {
  store?.close();
  for (const r of Object.values(repo)) r?.cleanup();
  rmSync(dbFile, { force: true });
});

describe('team-wide routes with and without repo', () => {
  const app = () => createApp({ store, now: () => NOW_MS });

  it('GET /api/engineers/:handle/report covers both repositories, or the one named', async () => {
    const team = (await (await app().request('/api/engineers/ada/report')).json()) as EngineerReport;
    expect(team.items.map((i) => `${i.repo}:${i.file}#${i.symbol}`).sort()).toEqual(['api:src/route.ts#handle', 'web:src/page.ts#render']);
    const web = (await (await app().request('/api/engineers/ada/report?repo=web')).json()) as EngineerReport;
    expect(web.items.map((i) => `${i.repo}:${i.symbol}`)).toEqual(['web:render']);
  });

  it("GET /api/engineers/:handle/marks and /stale cover every repository, or the one named (regression: repo was ignored)", async () => {
    const ada = await getEngineer(store, 'ada');
    await recordMarks(scoped.web, { engineer: ada, target: 'src/page.ts#render', level: 'viewed', source: 'api', now: NOW_MS - 1000 });
    await recordMarks(scoped.api, { engineer: ada, target: 'src/route.ts#handle', level: 'viewed', source: 'api', now: NOW_MS - 1000 });
    type Marks = { total: number; marks: { repoId: number; symbol: string }[] };
    const team = (await (await app().request('/api/engineers/ada/marks')).json()) as Marks;
    expect(team.marks.map((m) => m.symbol).sort()).toEqual(['handle', 'render']);
    const web = (await (await app().request('/api/engineers/ada/marks?repo=web')).json()) as Marks;
    expect(web).toMatchObject({ total: 1, marks: [{ repoId: scoped.web.repoId, symbol: 'render' }] });
    const stale = await app().request('/api/engineers/ada/stale?repo=api');
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { marks: unknown[] }).marks).toEqual([]);
    const unknown = await app().request('/api/engineers/ada/marks?repo=nope');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/api, web/);
  });

  it('GET /api/hotspots and /api/islands narrow to the named repository', async () => {
    const team = (await (await app().request('/api/hotspots')).json()) as HotspotsReport;
    expect(team.symbols.map((s) => s.symbol).sort()).toEqual(['handle', 'render']);
    const api = (await (await app().request('/api/hotspots?repo=api')).json()) as HotspotsReport;
    expect(api.symbols.map((s) => s.symbol)).toEqual(['handle']);
    expect((await app().request('/api/islands?repo=api')).status).toBe(200);
  });

  it('GET /api/digest?repo=NAME is that repository\'s digest, and is cached apart from the team\'s', async () => {
    const a = app();
    const before = digestBuilds(store);
    const api = (await (await a.request('/api/digest?week=2026-W47&repo=api')).json()) as Digest;
    expect(api).toEqual(JSON.parse(JSON.stringify(await buildDigest(scoped.api, { week: '2026-W47', now: NOW_MS }))));
    expect(api.repos.map((r) => r.name)).toEqual(['api']);
    const team = (await (await a.request('/api/digest?week=2026-W47')).json()) as Digest;
    expect(team.repos.map((r) => r.name)).toEqual(['api', 'web']);
    const again = (await (await a.request('/api/digest?week=2026-W47&repo=api')).json()) as Digest;
    expect(again).toEqual(api);
    // One build for api, one for the team; the repeat came from the cache.
    expect(digestBuilds(store) - before).toBe(2);
  });

  it('refuses an unknown repository with the known names (404) and a malformed one (400), as JSON', async () => {
    for (const path of ['/api/engineers/ada/report?repo=nope', '/api/hotspots?repo=nope', '/api/islands?repo=nope', '/api/digest?repo=nope']) {
      const res = await app().request(path);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({ error: { code: 'not-found', message: 'no repository named "nope"; known: api, web' } });
    }
    const bad = await app().request('/api/hotspots?repo=..%2Fx');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid');
    const long = await app().request(`/api/digest?repo=${'a'.repeat(300)}`);
    expect(long.status).toBe(400);
  });

  it('narrows the overview page and the digest page with ?repo=NAME, and answers an unknown one with a 404 page', async () => {
    const overview = await (await app().request('/?repo=web')).text();
    expect(overview).toContain('data-repo-scope="web"');
    expect(overview).toContain('<tr data-repo="api">');
    const digest = await (await app().request('/digest?week=2026-W47&repo=web')).text();
    expect(digest).toContain('<tr data-repo="web">');
    expect(digest).not.toContain('<tr data-repo="api">');
    expect(digest).toContain('href="/digest?week=2026-W46&amp;repo=web"');
    const missing = await app().request('/?repo=nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('no repository named &quot;nope&quot;; known: api, web');
  });
});
