/**
 * The report's team-scale queries (issue 15 bench) against the queries they replaced, on a real
 * SQLite file holding two repositories that are copies of one library: the same paths, the same
 * content hashes, commits by the same engineers, marks on both (seeded, so many shapes at once:
 * fresh, stale by symbol id, stale by file + name only, a mark in repository A on a hash that
 * repository B holds too). The old statements are written out here as they shipped, and each
 * optimized read must give exactly their answer; where the old one read across repositories (the
 * blob of a path), the test says what the right answer is.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveMarkStates, type MarkLevel } from '../../src/core/marks.ts';
import { loadCurrentBlame, loadRecentWork } from '../../src/db/repo/activity.ts';
import { placeKey } from '../../src/core/relevance.ts';
import { loadAgentSymbolsFor, loadAliveSymbols, loadMarkRecords } from '../../src/db/repo/report.ts';
import { blobLines, commits, engineerAliases, engineers, fileChanges, marks, repos, symbolChanges, symbols } from '../../src/db/schema.ts';
import { forRepo, type Store } from '../../src/db/store.ts';
import { buildIslandsReport } from '../../src/report/hotspots-report.ts';
import { seededRandom } from '../../bench/random.ts';
import { openTempStore } from '../helpers/marks-seed.ts';

const DAY = 86_400;
const NOW = 1_795_000_000;
const REPOS = [1, 2];
const SYMBOLS = 30;
const ENGINEERS = 4;
const sha = (repo: number, c: number) => `${repo}${String(c).padStart(39, '0')}`;
const fileOf = (s: number) => `src/f${s % 6}.ts`;
const nameOf = (s: number) => `fn${s}`;
const symbolId = (repo: number, s: number) => repo * 100 + s;
/** Both repositories share hashes: hash of version v of local symbol s. */
const hashOf = (s: number, v: number) => `h${s}-${v}`;

let store: Store;

beforeAll(async () => {
  store = openTempStore();
  const random = seededRandom(99);
  await store.db.insert(repos).values(REPOS.map((id) => ({ id, name: `team/lib-${id}`, path: `/src/lib-${id}` }))).onConflictDoNothing();
  await store.db.insert(engineers).values(Array.from({ length: ENGINEERS }, (_, i) => ({ id: i + 1, handle: `e${i}`, name: `E ${i}` })));
  await store.db.insert(engineerAliases).values(Array.from({ length: ENGINEERS }, (_, i) => ({ kind: 'email' as const, value: `e${i}@x.dev`, engineerId: i + 1 })));
  for (const repo of REPOS) {
    const versions = new Array<number>(SYMBOLS).fill(0);
    // 20 commits, the newest within the last 90 days, three symbol changes each.
    for (let c = 0; c < 20; c++) {
      const at = NOW - (200 - c * 9) * DAY;
      const author = Math.floor(random() * ENGINEERS);
      await store.db.insert(commits).values({
        repoId: repo, sha: sha(repo, c), seq: c + 1, parents: '[]', authorName: `E ${author}`, authorEmail: `E${author}@X.dev`, authorDate: at,
        committerName: 'x', committerEmail: 'x@x.dev', committerDate: at, subject: `c${c}`, message: `c${c}`, kind: 'agent', agent: 'claude', confidence: 1,
      });
      const touched = new Set([c % SYMBOLS, Math.floor(random() * SYMBOLS), Math.floor(random() * SYMBOLS)]);
      let idx = 0;
      for (const s of touched) {
        const v = versions[s]!++;
        await store.db.insert(symbolChanges).values({
          repoId: repo, sha: sha(repo, c), file: fileOf(s), name: nameOf(s), symbolId: symbolId(repo, s), kind: 'function', change: v === 0 ? 'added' : 'modified',
          hash: hashOf(s, v), startLine: 1, endLine: 5, agentLines: 5,
        });
        await store.db.insert(fileChanges).values({ repoId: repo, sha: sha(repo, c), idx: idx++, path: fileOf(s), status: 'M', newBlob: `b${repo}-${c}-${s}` }).onConflictDoNothing();
      }
    }
    await store.db.insert(symbols).values(
      Array.from({ length: SYMBOLS }, (_, s) => ({
        id: symbolId(repo, s), repoId: repo, file: fileOf(s), name: nameOf(s), kind: 'function', hash: hashOf(s, Math.max(0, versions[s]! - 1)),
        startLine: 1, endLine: 5, agentLines: s % 5 === 0 ? 0 : 5, humanLines: s % 5 === 0 ? 5 : 0, authors: '[]',
      })),
    );
  }
  // Marks: any repository, any version; a third carry no symbol id (written by file + name), a
  // third the id of an earlier identity at the same file + name (the symbol was deleted and re-added).
  const levels: MarkLevel[] = ['viewed', 'reviewed', 'explained'];
  const rows = [];
  for (let m = 0; m < 600; m++) {
    const repo = REPOS[Math.floor(random() * REPOS.length)]!;
    const s = Math.floor(random() * SYMBOLS);
    const which = random();
    rows.push({
      engineerId: 1 + Math.floor(random() * ENGINEERS), repoId: repo, symbolId: which < 0.33 ? null : which < 0.66 ? symbolId(repo, s) + 50 : symbolId(repo, s), file: fileOf(s), name: nameOf(s),
      hash: hashOf(s, Math.floor(random() * 4)), level: levels[Math.floor(random() * 3)]!, source: 'cli' as const, target: `${fileOf(s)}#${nameOf(s)}`,
      // Three instants only, so that ties on created_at (broken by id) occur.
      createdAt: NOW - Math.floor(random() * 3) * DAY,
    });
  }
  await store.db.insert(marks).values(rows);
});

afterAll(() => store.close());

/** loadAgentSymbolsFor's statement before the team bench: four correlated subqueries per symbol. */
async function agentStandingAsBefore(s: Store, engineerId: number) {
  const rows = await s.db.values<[number, number, MarkLevel | null, number]>(sql`
    select s.id,
      exists (select 1 from marks m where m.repo_id = s.repo_id and m.hash = s.hash and m.level <> 'viewed' and m.engineer_id <> ${engineerId}
        and not exists (select 1 from marks m2 where m2.engineer_id = m.engineer_id and m2.repo_id = m.repo_id and m2.hash = m.hash
          and (m2.created_at > m.created_at or (m2.created_at = m.created_at and m2.id > m.id)))),
      (select level from marks where repo_id = s.repo_id and hash = s.hash and engineer_id = ${engineerId} order by created_at desc, id desc limit 1),
      (exists (select 1 from marks where symbol_id = s.id and engineer_id = ${engineerId})
        or exists (select 1 from marks where repo_id = s.repo_id and file = s.file and name = s.name and engineer_id = ${engineerId}))
    from symbols s where s.alive = 1 and s.agent_lines > 0`);
  const understood = new Set<number>();
  const fresh = new Map<number, MarkLevel>();
  const stale: number[] = [];
  for (const [id, u, level, identity] of rows) {
    if (u) understood.add(id);
    if (level) fresh.set(id, level);
    else if (identity) stale.push(id);
  }
  return { ids: rows.map((r) => r[0]).sort((a, b) => a - b), understood, fresh, stale: stale.sort((a, b) => a - b) };
}

describe('team-scale report queries give the answers of the queries they replaced', () => {
  it('the fixture has what makes repositories matter: a hash marked in one repository that the other holds too', async () => {
    const crossed = await store.db.values<[number]>(sql`
      select count(*) from marks m join symbols s on s.hash = m.hash and s.repo_id <> m.repo_id where s.alive = 1`);
    expect(crossed[0]![0]).toBeGreaterThan(10);
  });

  it('the standing of every engineer on every agent-written symbol, team-wide and per repository', async () => {
    for (let e = 1; e <= ENGINEERS; e++) {
      const before = await agentStandingAsBefore(store, e);
      for (const [s, repo] of [[store, undefined], [forRepo(store, 1), 1], [forRepo(store, 2), 2]] as const) {
        const now = await loadAgentSymbolsFor(s, undefined, e);
        const inRepo = (id: number) => repo === undefined || Math.floor(id / 100) === repo;
        expect(now.symbols.map((x) => x.id).sort((a, b) => a - b)).toEqual(before.ids.filter(inRepo));
        expect([...now.understoodByOthers].sort((a, b) => a - b)).toEqual([...before.understood].filter(inRepo).sort((a, b) => a - b));
        expect(new Map([...now.freshLevels].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...before.fresh].filter(([id]) => inRepo(id)).sort((a, b) => a[0] - b[0])));
        expect(now.staleSymbols.map((x) => x.id).sort((a, b) => a - b)).toEqual(before.stale.filter(inRepo));
      }
      // Something to compare: every engineer has fresh and stale standings in this fixture.
      expect(before.fresh.size).toBeGreaterThan(0);
      expect(before.stale.length).toBeGreaterThan(0);
    }
  });

  it("an engineer's recent work: per repository, the files and symbols of the engineer's own commits there", async () => {
    const since = NOW - 90 * DAY;
    let samePathTwice = 0;
    for (let e = 0; e < ENGINEERS; e++) {
      const emails = [`e${e}@x.dev`];
      // Straightforwardly: each repository's commits by the engineer, then that repository's rows of each.
      const files = new Map<string, number>();
      const ids = new Set<number>();
      for (const repo of REPOS) {
        const shas = (await store.db.values<[string]>(sql`select sha from commits where repo_id = ${repo} and author_date >= ${since} and lower(author_email) in (${emails[0]})`)).map((r) => r[0]);
        for (const sha of shas) {
          for (const [path] of await store.db.values<[string]>(sql`select distinct path from file_changes where repo_id = ${repo} and sha = ${sha} and via_merge = 0`)) {
            files.set(placeKey(repo, path), (files.get(placeKey(repo, path)) ?? 0) + 1);
          }
          for (const [id] of await store.db.values<[number]>(sql`select symbol_id from symbol_changes where repo_id = ${repo} and sha = ${sha} and change <> 'deleted'`)) ids.add(id);
        }
      }
      if (new Set([...files.keys()].map((k) => k.split('\u0000')[1])).size < files.size) samePathTwice++;
      const work = await loadRecentWork(store, emails, since);
      expect(new Map([...work.files].sort())).toEqual(new Map([...files].sort()));
      expect([...work.symbolIds].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    }
    // Some engineer changed the same path in both repositories: two places (regression: the path alone merged them).
    expect(samePathTwice).toBeGreaterThan(0);
  });

  it("islands of one repository: the same as deriving from every repository's marks", async () => {
    for (const repo of REPOS) {
      const one = forRepo(store, repo);
      const own = await loadMarkRecords(one);
      expect(own.every((m) => m.repoId === repo)).toBe(true);
      // Deriving the repository's symbols from all marks, or from its own only, is the same.
      const current = await loadAliveSymbols(one);
      const key = (x: { engineerId: number; symbol: { id: number | null }; mark: { id: number }; stale: boolean }) => `${x.engineerId}:${x.symbol.id}:${x.mark.id}:${x.stale}`;
      expect(deriveMarkStates(own, current).map(key)).toEqual(deriveMarkStates(await loadMarkRecords(store), current).map(key));
      const islands = await buildIslandsReport(one, { now: NOW * 1000 });
      expect(islands.symbols.length + islands.staleOnly.length).toBeGreaterThan(0);
    }
  });

  it("a path's current blame is its own repository's, not the other copy's (regression: the path alone picked either)", async () => {
    // Both repositories change src/f0.ts; each one's latest blob gets its own blame.
    const latest = await store.db.values<[number, string]>(sql`
      select fc.repo_id, fc.new_blob from file_changes fc join commits c on c.repo_id = fc.repo_id and c.sha = fc.sha
      where fc.path = 'src/f0.ts' and c.seq = (select max(c2.seq) from file_changes f2 join commits c2 on c2.repo_id = f2.repo_id and c2.sha = f2.sha where f2.repo_id = fc.repo_id and f2.path = 'src/f0.ts')`);
    expect(latest.map((r) => r[0]).sort()).toEqual(REPOS);
    await store.db.insert(blobLines).values(latest.map(([repo, blob]) => ({ blob, runs: JSON.stringify([[5, `repo${repo}`.padEnd(40, '0'), 1]]) })));
    const blame = await loadCurrentBlame(store, REPOS.map((repoId) => ({ repoId, path: 'src/f0.ts' })));
    for (const repo of REPOS) expect(JSON.parse(blame.get(`${repo}\u0000src/f0.ts`)!)[0][1]).toBe(`repo${repo}`.padEnd(40, '0'));
  });
});
