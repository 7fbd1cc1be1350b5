/**
 * One repository layer, two drivers: the same real repository is ingested and analyzed straight
 * into better-sqlite3 and into D1 (local workerd), then representative functions of
 * src/db/repo/*.ts and the reports built on them run on both. Every result is checked on its own
 * and then required to be identical across the drivers.
 *
 * Other suites can adopt the pattern: `describe.each(DRIVERS)` + `openTestStore(driver)`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChecklist } from '../../src/checklist/build.ts';
import { countCommits, getCommit, getCommitsBySha, getFileChanges, listCommits, listWarnings, maxSeq, resolveCommitOrThrow } from '../../src/db/repo/commits.ts';
import { addEngineer, getEngineer, getUnlinkedAuthors, listEngineers, resolveAlias } from '../../src/db/repo/engineers.ts';
import { currentMarksForEngineer, markHistoryForEngineer, marksForTarget, recordMarks, staleMarksForEngineer } from '../../src/db/repo/marks.ts';
import { getChangesForCommit, getCurrentSymbols, getSymbolHistory, getSymbolOrThrow } from '../../src/db/repo/symbols.ts';
import { commitsInRange, currentFileBlobs, expandTarget } from '../../src/db/repo/targets.ts';
import { authenticateToken, createToken, listTokens, revokeToken } from '../../src/db/repo/tokens.ts';
import { parseTarget } from '../../src/core/marks.ts';
import { buildDigest } from '../../src/digest/build.ts';
import { WIRE_TABLES, type WireTable } from '../../src/db/push-wire.ts';
import { buildEngineerReport } from '../../src/report/engineer-report.ts';
import { buildHotspotsReport, buildIslandsReport } from '../../src/report/hotspots-report.ts';
import { DRIVERS, ingestAndAnalyze, openTestStore, writeFixtureHistory, type Driver, type TestStore } from '../helpers/d1.ts';
import { HUMAN, HUMAN2, type GitFixture } from '../helpers/git-fixture.ts';
import { dumpTable } from '../helpers/push-targets.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const results = new Map<Driver, Map<string, unknown>>();

describe.each(DRIVERS)('repository layer on %s', (driver) => {
  let store: TestStore;
  // Each driver gets its own copy of the repository; fixed authors and dates give identical shas.
  let repo: GitFixture;
  let shas: string[];
  const record = (key: string, value: unknown) => {
    if (!results.has(driver)) results.set(driver, new Map());
    results.get(driver)!.set(key, JSON.parse(JSON.stringify(value)));
  };
  beforeAll(async () => {
    ({ repo, shas } = writeFixtureHistory());
    store = await openTestStore(driver);
    await ingestAndAnalyze(store, repo);
  });
  afterAll(async () => {
    await store?.dispose();
    repo?.cleanup();
  });

  it('ingest and analysis write the same rows', async () => {
    for (const name of Object.keys(WIRE_TABLES) as WireTable[]) {
      // warnings carry their write time; everything else is a function of the repository.
      const rows = (await dumpTable(store, name)).map((r) => (name === 'warnings' ? r.replace(/,\d+\]$/, ',0]') : r));
      record(`rows.${name}`, rows);
    }
    expect(await countCommits(store)).toBe(5);
  });

  it('commits: lists, lookups, prefixes, file changes, warnings', async () => {
    const list = await listCommits(store);
    expect(list.map((c) => c.sha)).toEqual([...shas].reverse());
    expect(list.filter((c) => c.kind === 'agent').length).toBe(3);
    record('listCommits', list);
    record('agentCommits', await listCommits(store, { agentOnly: true, limit: 2 }));
    record('maxSeq', await maxSeq(store));
    record('getCommit', await getCommit(store, shas[2]!));
    record('resolvePrefix', (await resolveCommitOrThrow(store, shas[3]!.slice(0, 8))).sha);
    const files = await getFileChanges(store, shas[3]!);
    expect(files.map((f) => f.status).sort()).toEqual(['M', 'R']);
    record('getFileChanges', files);
    record('getCommitsBySha', (await getCommitsBySha(store, shas)).map((c) => c.sha).sort());
    record('listWarnings', (await listWarnings(store)).map((w) => ({ ...w, createdAt: 0 })));
  });

  it('symbols: current state, history, changes per commit', async () => {
    const current = await getCurrentSymbols(store);
    expect(current.map((s) => `${s.file}#${s.name}`)).toEqual(expect.arrayContaining(['src/web/render.ts#renderPage', 'src/web/render.ts#Pager.pages', 'src/pages/home.ts#homePage']));
    record('getCurrentSymbols', current);
    const render = await getSymbolOrThrow(store, 'src/web/render.ts', 'renderPage');
    const history = await getSymbolHistory(store, render.id);
    expect(history.length).toBe(2);
    record('getSymbolHistory', history);
    record('getChangesForCommit', await getChangesForCommit(store, shas[3]!));
    record('currentFileBlobs', [...(await currentFileBlobs(store, ['package.json', 'README.md', 'src/config.ts']))]);
  });

  it('engineers and tokens', async () => {
    await addEngineer(store, { handle: 'ada', name: 'Ada', emails: [HUMAN.email] }, NOW);
    await addEngineer(store, { handle: 'bob', emails: [HUMAN2.email], logins: ['bob-gh'] }, NOW);
    record('listEngineers', await listEngineers(store));
    record('unlinked', await getUnlinkedAuthors(store));
    record('resolveAlias', await resolveAlias(store, 'login', 'BOB-GH'));
    const t = await createToken(store, { handle: 'ada', now: NOW });
    const ok = await authenticateToken(store, t.token, NOW);
    expect(ok).toMatchObject({ ok: true, principal: { admin: false, engineer: { handle: 'ada' } } });
    await revokeToken(store, t.id, NOW + 1000);
    const refused = await authenticateToken(store, t.token, NOW + 2000);
    expect(refused).toEqual({ ok: false, reason: 'token revoked' });
    record('tokens', { ok: ok.ok, refused, list: (await listTokens(store, NOW)).map(({ id: _id, ...rest }) => rest) });
  });

  it('marks: targets, current state, history', async () => {
    const ada = await getEngineer(store, 'ada');
    const bob = await getEngineer(store, 'bob');
    await recordMarks(store, { engineer: ada, target: 'src/web/render.ts#renderPage', level: 'reviewed', source: 'cli', now: NOW });
    await recordMarks(store, { engineer: ada, target: shas[2]!.slice(0, 10), level: 'viewed', source: 'api', now: NOW });
    await recordMarks(store, { engineer: bob, target: `${shas[0]!.slice(0, 8)}..${shas[4]!.slice(0, 8)}`, level: 'explained', note: 'walked through it', source: 'web', now: NOW });
    record('expandRange', await expandTarget(store, parseTarget(`${shas[0]!.slice(0, 8)}..${shas[4]!.slice(0, 8)}`)));
    record('commitsInRange', (await commitsInRange(store, shas[0]!, shas[4]!)).sort());
    const current = await currentMarksForEngineer(store, ada);
    expect(current.length).toBeGreaterThanOrEqual(2);
    record('currentMarks', current);
    record('marksForTarget', await marksForTarget(store, 'src/web/render.ts', { history: true }));
    record('markHistory', (await markHistoryForEngineer(store, bob.id)).map(({ id: _id, ...rest }) => rest));
  });

  it('reports, digest and checklist', async () => {
    const report = await buildEngineerReport(store, 'ada', { now: NOW });
    expect(report.items.length).toBeGreaterThan(0);
    record('engineerReport', report);
    record('hotspots', await buildHotspotsReport(store, { now: NOW }));
    record('islands', await buildIslandsReport(store, { now: NOW }));
    record('digest', await buildDigest(store, { week: '2026-W45', now: NOW }));
    const checklist = await buildChecklist(store, { base: shas[1]!, head: shas[4]!, as: 'ada' });
    record('checklist', checklist);
  });

  it('a new commit makes marks stale, with the diff since the mark', async () => {
    {
      repo.write('src/web/render.ts', "export function renderPage(title: string): string {\n  return '<h1>' + title + '</h1>';\n}\n").commit({ message: 'simplify\n\nCo-authored-by: Claude <noreply@anthropic.com>\n' });
    }
    await ingestAndAnalyze(store, repo);
    const stale = await staleMarksForEngineer(store, await getEngineer(store, 'ada'));
    expect(stale.map((m) => `${m.file}#${m.symbol}`)).toContain('src/web/render.ts#renderPage');
    expect(stale.find((m) => m.symbol === 'renderPage')!.diff).toMatch(/^-.*items/m);
    record('stale', stale);
    record('reportAfter', await buildEngineerReport(store, 'ada', { now: NOW }));
  });
});

describe('better-sqlite3 and D1', () => {
  it('give identical results for every function above', () => {
    const a = results.get('better-sqlite3');
    const b = results.get('d1');
    expect(a && b).toBeTruthy();
    expect([...b!.keys()]).toEqual([...a!.keys()]);
    for (const [key, value] of a!) expect(b!.get(key), key).toEqual(value);
    expect(a!.size).toBeGreaterThan(25);
  });
});
