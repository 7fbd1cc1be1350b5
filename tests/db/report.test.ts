/**
 * The report, hotspots and islands over a real SQLite database seeded by hand (history, symbols,
 * engineers, marks through the marks repository, a PR with a review request and a rubber stamp).
 * Expected numbers are computed here from the formulas, not copied from output.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complexityWeight } from '../../src/core/debt.ts';
import { GraspError } from '../../src/core/errors.ts';
import { ASK_A_COLLEAGUE_FACTOR, BOOST } from '../../src/core/relevance.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { blobLines, commits, fileChanges, prFiles, prReviewRequests, pullRequests, reviews, symbolChanges, symbols, symbolTexts } from '../../src/db/schema.ts';
import type { Store, RepoStore } from '../../src/db/store.ts';
import { buildEngineerReport } from '../../src/report/engineer-report.ts';
import { buildHotspotsReport, buildIslandsReport } from '../../src/report/hotspots-report.ts';
import { openTempRepoStore } from '../helpers/marks-seed.ts';

const DAY = 86_400;
const NOW = 1_795_000_000; // 2026-11-18
const NOW_MS = NOW * 1000;
const C1 = 'c1'.padEnd(40, '1'); // agent, committed by ada, 10 days ago
const C2 = 'c2'.padEnd(40, '2'); // agent, committed by bob, 40 days ago
const C3 = 'c3'.padEnd(40, '3'); // human, ada, 5 days ago
const C4 = 'c4'.padEnd(40, '4'); // agent, bob, 2 days ago: changes renderPage after ada's review

let store: RepoStore;
let seq = 0;

async function commit(sha: string, email: string, kind: 'agent' | 'human', at: number, files: { path: string; blob: string }[]) {
  await store.db.insert(commits).values({ repoId: 1,
    sha,
    seq: ++seq,
    parents: '[]',
    authorName: email,
    authorEmail: email,
    authorDate: at,
    committerName: email,
    committerEmail: email,
    committerDate: at,
    subject: `commit ${seq}`,
    message: `commit ${seq}`,
    kind,
    agent: kind === 'agent' ? 'claude' : null,
    confidence: 1,
  });
  for (const [idx, f] of files.entries()) await store.db.insert(fileChanges).values({ repoId: 1, sha, idx, path: f.path, status: 'M', newBlob: f.blob });
}

interface Sym {
  id: number;
  file: string;
  name: string;
  hash: string;
  startLine: number;
  endLine: number;
  complexity: number;
  agentLines: number;
  humanLines: number;
  authors: string[];
  lastSha: string;
  text: string;
}

async function symbol(s: Sym, changedIn: string[]) {
  const { text, authors, ...row } = s;
  await store.db.delete(symbols).where(eq(symbols.id, s.id));
  await store.db.insert(symbols).values({ repoId: 1, ...row, kind: 'function', authors: JSON.stringify(authors), changeCount: changedIn.length });
  await store.db.insert(symbolTexts).values({ hash: s.hash, text }).onConflictDoNothing();
  for (const sha of changedIn) {
    await store.db
      .insert(symbolChanges)
      .values({ repoId: 1, sha, file: s.file, name: s.name, symbolId: s.id, kind: 'function', change: 'added', hash: s.hash, startLine: s.startLine, endLine: s.endLine, complexity: s.complexity })
      .onConflictDoNothing();
  }
}

const parseConfig: Sym = { id: 1, file: 'src/core/a.ts', name: 'parseConfig', hash: 'h1', startLine: 1, endLine: 20, complexity: 4, agentLines: 20, humanLines: 0, authors: ['ada@example.com'], lastSha: C1, text: 'function parseConfig(t) {\n  return JSON.parse(t);\n}' };
const formatOutput: Sym = { id: 2, file: 'src/core/a.ts', name: 'formatOutput', hash: 'h2', startLine: 21, endLine: 30, complexity: 1, agentLines: 10, humanLines: 0, authors: ['ada@example.com'], lastSha: C1, text: 'function formatOutput(x) {\n  return String(x);\n}' };
const renderPage: Sym = { id: 3, file: 'src/web/b.ts', name: 'renderPage', hash: 'h3a', startLine: 1, endLine: 30, complexity: 8, agentLines: 30, humanLines: 0, authors: ['bob@example.com'], lastSha: C2, text: 'function renderPage() {\n  return "<p>old</p>";\n}' };
const helperThing: Sym = { id: 4, file: 'src/web/b.ts', name: 'helperThing', hash: 'h4', startLine: 31, endLine: 40, complexity: 2, agentLines: 5, humanLines: 5, authors: ['bob@example.com', 'ada@example.com'], lastSha: C2, text: 'function helperThing() {\n  return 4;\n}' };
const humanThing: Sym = { id: 5, file: 'src/core/c.ts', name: 'humanThing', hash: 'h5', startLine: 1, endLine: 12, complexity: 3, agentLines: 0, humanLines: 12, authors: ['ada@example.com'], lastSha: C3, text: 'function humanThing() {\n  return renderPage();\n}' };

beforeAll(async () => {
  store = openTempRepoStore();
  await addEngineer(store, { handle: 'ada', emails: ['ada@example.com'], logins: ['ada'] }, NOW_MS - 100 * DAY * 1000);
  await addEngineer(store, { handle: 'bob', emails: ['bob@example.com'], logins: ['bob-b'] }, NOW_MS - 100 * DAY * 1000);
  await commit(C2, 'bob@example.com', 'agent', NOW - 40 * DAY, [{ path: 'src/web/b.ts', blob: 'blobB1' }]);
  await commit(C1, 'ada@example.com', 'agent', NOW - 10 * DAY, [{ path: 'src/core/a.ts', blob: 'blobA' }]);
  await commit(C3, 'ada@example.com', 'human', NOW - 5 * DAY, [{ path: 'src/core/c.ts', blob: 'blobC' }]);
  // Forward blame of a.ts: all 30 lines by the agent commit C1.
  await store.db.insert(blobLines).values({ blob: 'blobA', runs: JSON.stringify([[30, C1, 1]]) });
  await symbol(parseConfig, [C1]);
  await symbol(formatOutput, [C1]);
  await symbol(renderPage, [C2]);
  await symbol(helperThing, [C2]);
  await symbol(humanThing, [C3]);
  // ada reviews renderPage as it is now; bob reviews formatOutput; ada only views helperThing.
  const ada = { id: 1, handle: 'ada' };
  const bob = { id: 2, handle: 'bob' };
  await recordMarks(store, { engineer: ada, target: 'src/web/b.ts#renderPage', level: 'reviewed', source: 'cli', now: NOW_MS - 30 * DAY * 1000 });
  await recordMarks(store, { engineer: bob, target: 'src/core/a.ts#formatOutput', level: 'reviewed', source: 'cli', now: NOW_MS - 9 * DAY * 1000 });
  await recordMarks(store, { engineer: ada, target: 'src/web/b.ts#helperThing', level: 'viewed', source: 'cli', now: NOW_MS - 8 * DAY * 1000 });
  // Then bob's agent rewrites renderPage: ada's review goes stale.
  await commit(C4, 'bob@example.com', 'agent', NOW - 2 * DAY, [{ path: 'src/web/b.ts', blob: 'blobB2' }]);
  await symbol({ ...renderPage, hash: 'h3b', lastSha: C4, text: 'function renderPage() {\n  return "<p>new</p>";\n}' }, [C2, C4]);
  // PR 12 touches b.ts; ada's review is requested; carol approved it blindly.
  await store.db.insert(pullRequests).values({ repoId: 1, number: 12, title: 'Rewrite <b>render</b>', state: 'OPEN', createdAt: NOW - 3 * DAY, updatedAt: NOW - DAY, mergeSha: null });
  await store.db.insert(prReviewRequests).values({ repoId: 1, number: 12, login: 'ADA' });
  await store.db.insert(fileChanges).values({ repoId: 1, sha: C4, idx: 1, path: 'src/web/other.ts', status: 'A', newBlob: 'blobO' });
  await store.db.insert(reviews).values({ repoId: 1, id: '900', number: 12, authorLogin: 'carol', state: 'APPROVED', submittedAt: NOW - DAY, rubberStamp: true, rubberStampReason: 'approved 420 changed lines without a single comment' });
  await store.db.insert(prFiles).values({ repoId: 1, number: 12, path: 'src/web/b.ts' });
});

afterAll(() => store?.close());

const w = (s: Sym) => s.agentLines * complexityWeight(s.complexity);

describe('engineer report on a seeded database', () => {
  it('ranks by debt x relevance with the exact numbers of the model', async () => {
    const r = await buildEngineerReport(store, 'ada', { now: NOW_MS });
    // Boosts for ada: own file (a.ts), own lines (authors), reference (her humanThing calls renderPage),
    // review requested (PR 12 on b.ts), stale mark (renderPage).
    const boost = {
      parseConfig: 1 + BOOST.ownFile + BOOST.ownLines,
      formatOutput: 1 + BOOST.ownFile + BOOST.ownLines,
      renderPage: 1 + BOOST.reference + BOOST.reviewRequested + BOOST.staleMark,
      helperThing: 1 + BOOST.ownLines + BOOST.reviewRequested,
    };
    const expected = [
      { symbol: 'renderPage', score: w(renderPage) * boost.renderPage, debt: w(renderPage) },
      { symbol: 'parseConfig', score: w(parseConfig) * boost.parseConfig, debt: w(parseConfig) },
      { symbol: 'helperThing', score: w(helperThing) * boost.helperThing, debt: w(helperThing) },
      { symbol: 'formatOutput', score: w(formatOutput) * ASK_A_COLLEAGUE_FACTOR * boost.formatOutput, debt: 0 },
    ].sort((a, b) => b.score - a.score);
    expect(r.items.map((i) => ({ symbol: i.symbol, score: i.score, debt: i.debt }))).toEqual(expected);

    const total = w(parseConfig) + w(formatOutput) + w(renderPage) + w(helperThing);
    expect(r.summary).toEqual({
      myCoverage: 0,
      teamCoverage: Math.round((w(formatOutput) / total) * 1e4) / 1e4,
      debt: total - w(formatOutput),
      staleMarks: 1,
    });
    expect(r.area).toBe('activity');
    expect(r.engineer).toBe('ada');
  });

  it('says why: agent commit and date, complexity, recent changes, relevance, who to ask, the diff since a stale mark', async () => {
    const r = await buildEngineerReport(store, 'ada', { now: NOW_MS });
    const byName = new Map(r.items.map((i) => [i.symbol, i]));
    const parse = byName.get('parseConfig')!;
    expect(parse.reasons).toEqual([
      `claude wrote 20 lines in ${C1.slice(0, 7)} on ${new Date((NOW - 10 * DAY) * 1000).toISOString().slice(0, 10)}`,
      'complexity 4',
      'changed 1 time in 30 days',
      'you changed this file in 1 commit in the last 90 days',
      'you committed some of its current lines',
      'nobody understands the current version yet',
    ]);
    const render = byName.get('renderPage')!;
    expect(render.stale).toBe(true);
    expect(render.understoodBy).toEqual([]);
    expect(render.reasons).toContain('used by your recent change to humanThing');
    expect(render.reasons).toContain('your review is requested on PR #12');
    expect(render.reasons).toContain('changed 1 time in 30 days'); // C4 only; C2 is 40 days old
    expect(render.reasons.some((x) => x.startsWith('you reviewed an earlier version on') && x.endsWith('(stale): what changed since'))).toBe(true);
    expect(render.diff).toContain('-  return "<p>old</p>";');
    expect(render.diff).toContain('+  return "<p>new</p>";');
    const format = byName.get('formatOutput')!;
    expect(format.understoodBy).toEqual(['bob']);
    expect(format.diff).toBeNull();
    expect(byName.get('helperThing')!.viewedBy).toEqual(['ada']); // shown, but it did not take the item off her list
  });

  it('lists rubber-stamp approvals touching the area', async () => {
    const r = await buildEngineerReport(store, 'ada', { now: NOW_MS });
    expect(r.rubberStamps).toEqual([
      { number: 12, title: 'Rewrite <b>render</b>', reviewer: 'carol', submittedAt: new Date((NOW - DAY) * 1000).toISOString(), reason: 'approved 420 changed lines without a single comment' },
    ]);
  });

  it('restricts everything to a scope', async () => {
    const r = await buildEngineerReport(store, 'ada', { now: NOW_MS, scope: 'src/core' });
    expect(r.items.map((i) => i.symbol)).toEqual(['parseConfig', 'formatOutput']);
    expect(r.summary.teamCoverage).toBe(Math.round((w(formatOutput) / (w(parseConfig) + w(formatOutput))) * 1e4) / 1e4);
    expect(r.summary.staleMarks).toBe(0);
    const file = await buildEngineerReport(store, 'ada', { now: NOW_MS, scope: 'src/core/a.ts', limit: 1 });
    expect(file.items.map((i) => i.symbol)).toEqual(['parseConfig']);
  });

  it('falls back to the whole repository as the area of someone with no activity', async () => {
    await addEngineer(store, { handle: 'cy', emails: ['cy@example.com'] }, NOW_MS);
    const r = await buildEngineerReport(store, 'cy', { now: NOW_MS });
    expect(r.area).toBe('everything');
    expect(r.items.map((i) => i.symbol)).toEqual(['renderPage', 'parseConfig', 'helperThing', 'formatOutput']);
    // Unboosted: weight, and a quarter of it for formatOutput which bob understands.
    expect(r.items.map((i) => i.score)).toEqual([w(renderPage), w(parseConfig), w(helperThing), w(formatOutput) * ASK_A_COLLEAGUE_FACTOR]);
    expect(r.rubberStamps).toHaveLength(1);
  });

  it('refuses an unknown engineer with not-found', async () => {
    await expect(buildEngineerReport(store, 'nobody', { now: NOW_MS })).rejects.toMatchObject({ code: 'not-found' });
    await expect(buildEngineerReport(store, 'nobody', { now: NOW_MS })).rejects.toBeInstanceOf(GraspError);
  });
});

describe('hotspots and islands on a seeded database', () => {
  it('scores recent agent-written, complex, un-understood symbols', async () => {
    const h = await buildHotspotsReport(store, { now: NOW_MS });
    const f = (at: number) => Math.pow(0.5, (NOW - at) / DAY / 30);
    const render = (f(NOW - 40 * DAY) + f(NOW - 2 * DAY)) * 8 * 1;
    const parse = f(NOW - 10 * DAY) * 4 * 1;
    const helper = f(NOW - 40 * DAY) * 2 * 0.5;
    expect(h.symbols.map((s) => [s.symbol, s.score])).toEqual([
      ['renderPage', Math.round(render * 1000) / 1000],
      ['parseConfig', Math.round(parse * 1000) / 1000],
      ['helperThing', Math.round(helper * 1000) / 1000],
    ]);
    expect(h.symbols[0]).toMatchObject({ complexity: 8, agentShare: 1, coverage: 0 });
    expect(h.directories.map((d) => d.directory)).toEqual(['src/web', 'src/core']);
    const core = h.directories.find((d) => d.directory === 'src/core')!;
    // formatOutput's 10 agent lines are understood (bob), parseConfig's 20 are not; humanThing has none
    expect(core.coverage).toBe(Math.round((10 / 30) * 1e4) / 1e4);
    expect(core.agentShare).toBe(Math.round((30 / 42) * 1e4) / 1e4);
  });

  it('finds islands: bob alone on formatOutput, ada alone (author) on humanThing, renderPage only stale', async () => {
    const i = await buildIslandsReport(store, { now: NOW_MS });
    expect(i.symbols.map((s) => [s.symbol, s.engineer, s.byAuthorship])).toEqual([
      ['humanThing', 'ada', true], // 12 * (1 + log2 3) = 31.0 > formatOutput's 10
      ['formatOutput', 'bob', false],
    ]);
    expect(i.staleOnly.map((s) => [s.symbol, s.staleBy])).toEqual([['renderPage', ['ada']]]);
    expect(i.staleOnlyDirectories.map((d) => [d.directory, d.staleBy])).toEqual([['src/web', ['ada']]]);
    // src/core: bob understands formatOutput, ada humanThing: two engineers, no island
    expect(i.directories).toEqual([]);
  });
});
