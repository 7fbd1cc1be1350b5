/**
 * The weekly digest end to end: a real git repository built in two stages (ingest + analysis after
 * each, marks written in between so they land on the hashes of their time), GitHub review rows,
 * then the digest of 2026-W47 and W48. Expected numbers are computed here from the model's
 * formulas over the stored symbol facts, not copied from output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { complexityWeight } from '../../src/core/debt.ts';
import { GraspError } from '../../src/core/errors.ts';
import { buildDigest } from '../../src/digest/build.ts';
import { renderDigestHtml } from '../../src/digest/html.tsx';
import { renderDigestMarkdown } from '../../src/digest/markdown.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { commits, fileChanges, pullRequests, reviews, symbolChanges, symbols } from '../../src/db/schema.ts';
import type { Store, RepoStore } from '../../src/db/store.ts';
import { createApp } from '../../src/http/app.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, HUMAN, HUMAN2, tempDir } from '../helpers/git-fixture.ts';
import { openTempRepoStore, tempDbPath } from '../helpers/marks-seed.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'grasp.mjs');
const at = (iso: string) => Date.parse(iso);
const sec = (iso: string) => at(iso) / 1000;
const NOW_MS = at('2026-11-24T12:00:00Z'); // Tuesday of 2026-W48
const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';
const CODEX = 'Co-authored-by: Codex <noreply@openai.com>';
const CAROL = { name: 'Carol Unlinked', email: 'carol@example.com' };

let repo: GitFixture;
let store: RepoStore;
let dbFile: string;
const ada = { id: 0, handle: 'ada' };
const bob = { id: 0, handle: 'bob' };

async function analyze(): Promise<void> {
  await ingestRepository(store, repo.dir);
  await analyzeRepository(store, repo.dir);
}

async function head(name: string) {
  const [row] = await store.db.select().from(symbols).where(and(eq(symbols.name, name), eq(symbols.alive, true)));
  if (!row) throw new Error(`no symbol ${name}`);
  return row;
}
const weightOf = (s: { agentLines: number; complexity: number }) => s.agentLines * complexityWeight(s.complexity);
const round1 = (x: number) => Math.round(x * 10) / 10;

beforeAll(async () => {
  repo = new GitFixture();
  dbFile = tempDbPath();
  store = openTempRepoStore(dbFile);
  ada.id = (await addEngineer(store, { handle: 'ada', name: 'Ada Human', emails: [HUMAN.email] })).id;
  bob.id = (await addEngineer(store, { handle: 'bob', name: 'Bob Builder', emails: [HUMAN2.email] })).id;

  // 2026-W46
  repo.write(
    'src/core/parse.ts',
    [
      'export function parseConfig(text: string): Record<string, string> {',
      '  const out: Record<string, string> = {};',
      "  for (const line of text.split('\\n')) {",
      "    if (!line || line.startsWith('#')) continue;",
      "    const [k, v] = line.split('=');",
      '    if (k && v) out[k.trim()] = v.trim();',
      '  }',
      '  return out;',
      '}',
      '',
    ].join('\n'),
  );
  repo.write('src/format/output.ts', "export function formatOutput(value: unknown): string {\n  if (typeof value === 'string') return value;\n  return JSON.stringify(value);\n}\n");
  repo.commit({ message: `feat: parse config\n\n${CLAUDE}\n`, date: '2026-11-10T10:00:00Z', author: HUMAN });
  repo.write('src/util/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  repo.commit({ message: 'add', date: '2026-11-11T10:00:00Z', author: HUMAN });
  await analyze();
  for (const target of ['src/core/parse.ts#parseConfig', 'src/format/output.ts#formatOutput']) {
    await recordMarks(store, { engineer: ada, target, level: 'reviewed', source: 'cli', now: at('2026-11-12T09:00:00Z') });
  }

  // 2026-W47
  repo.write(
    'src/format/output.ts',
    "export function formatOutput(value: unknown): string {\n  if (typeof value === 'string') return value;\n  if (value === undefined) return '';\n  return JSON.stringify(value);\n}\n",
  );
  repo.write('src/web/render.ts', "export function renderPage(title: string): string {\n  const safe = title.trim() || 'untitled';\n  return '<h1>' + safe + '</h1>';\n}\n");
  repo.commit({ message: `feat: render\n\n${CLAUDE}\n`, date: '2026-11-17T10:00:00Z', author: HUMAN });
  repo.write('src/web/list.ts', "export function renderList(items: string[]): string {\n  return items.map((i) => i ? '<li>' + i + '</li>' : '').join('');\n}\n");
  repo.commit({ message: `feat: list\n\n${CODEX}\n`, date: '2026-11-18T10:00:00Z', author: HUMAN2 });
  repo.write('src/util/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n');
  repo.commit({ message: 'sub', date: '2026-11-19T10:00:00Z', author: HUMAN2 });
  repo.write('README.md', '# notes\n');
  repo.commit({ message: 'docs', date: '2026-11-19T11:00:00Z', author: CAROL });
  await analyze();
  await recordMarks(store, { engineer: bob, target: 'src/web/render.ts#renderPage', level: 'reviewed', source: 'web', now: at('2026-11-18T12:00:00Z') });
  await recordMarks(store, { engineer: ada, target: 'src/web/list.ts#renderList', level: 'viewed', source: 'web', now: at('2026-11-19T12:00:00Z') });
  // 2026-W48: must not count in W47.
  await recordMarks(store, { engineer: bob, target: 'src/format/output.ts#formatOutput', level: 'explained', note: 'strings pass through', source: 'cli', now: at('2026-11-23T09:00:00Z') });

  await store.db.insert(pullRequests).values([
    { repoId: 1, number: 7, title: 'Render <b>pages</b>', state: 'MERGED', createdAt: sec('2026-11-17T08:00:00Z'), updatedAt: sec('2026-11-18T08:00:00Z') },
    { repoId: 1, number: 6, title: 'Older', state: 'MERGED', createdAt: sec('2026-11-10T08:00:00Z'), updatedAt: sec('2026-11-10T08:00:00Z') },
  ]);
  await store.db.insert(reviews).values([
    { repoId: 1, id: '101', number: 7, authorLogin: 'bob', state: 'APPROVED', submittedAt: sec('2026-11-18T09:00:00Z'), rubberStamp: true, rubberStampReason: 'approved 420 changed lines without a comment' },
    { repoId: 1, id: '100', number: 6, authorLogin: 'ada', state: 'APPROVED', submittedAt: sec('2026-11-10T09:00:00Z'), rubberStamp: true, rubberStampReason: 'too fast' },
    { repoId: 1, id: '102', number: 7, authorLogin: 'ada', state: 'APPROVED', submittedAt: sec('2026-11-18T10:00:00Z'), rubberStamp: false },
  ]);
}, 120_000);

afterAll(() => {
  store?.close();
  repo?.cleanup();
});

describe('buildDigest for 2026-W47', () => {
  it('names the week and the previous one, and lists 8 trend weeks ending with it', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    expect(d.week).toBe('2026-W47');
    expect(d.previousWeek).toBe('2026-W46');
    expect(d.coverageTrend.map((t) => t.week)).toEqual(['2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47']);
    expect(Object.keys(d)).toEqual([
      'week', 'previousWeek', 'agentShare', 'debtAdded', 'debtPaid', 'coverage', 'coverageTrend',
      'hotspots', 'islands', 'rubberStamps', 'engineers', 'unlinkedAuthors', 'staleAreas', 'staleUnderstanding', 'agentScorecard',
      'repos', 'totals',
    ]);
  });

  it('carries the agent scorecard of the 90 days to the week end, one row per agent with its depth', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    expect(d.agentScorecard.map((a) => a.agent).sort()).toEqual(['claude', 'codex']);
    for (const a of d.agentScorecard) {
      expect(['light', 'normal', 'deep']).toContain(a.depth);
      expect(a.reasons.length).toBeGreaterThan(0);
      expect(a.commits).toBeGreaterThan(0);
    }
    expect(renderDigestMarkdown(d)).toContain('## Review depth per agent (last 90 days)');
  });

  it('counts agent share of commits and changed lines, per agent, against last week', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const changes = await store.db.select().from(fileChanges);
    const rows = await store.db.select().from(commits);
    const linesOf = (sha: string) => changes.filter((c) => c.sha === sha).reduce((n, c) => n + (c.added ?? 0) + (c.deleted ?? 0), 0);
    const inWeek = (from: string, to: string) => rows.filter((c) => c.authorDate >= sec(from) && c.authorDate < sec(to));
    const w47 = inWeek('2026-11-16T00:00:00Z', '2026-11-23T00:00:00Z');
    const w46 = inWeek('2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z');
    expect(w47).toHaveLength(4);
    const agentLines = w47.filter((c) => c.kind === 'agent').reduce((n, c) => n + linesOf(c.sha), 0);
    const totalLines = w47.reduce((n, c) => n + linesOf(c.sha), 0);
    expect(agentLines).toBeGreaterThan(0);
    expect(d.agentShare.commits).toMatchObject({ agent: 2, total: 4, share: 0.5, previousAgent: 1, previousTotal: 2, previousShare: 0.5 });
    expect(d.agentShare.lines.agent).toBe(agentLines);
    expect(d.agentShare.lines.total).toBe(totalLines);
    expect(d.agentShare.lines.previousTotal).toBe(w46.reduce((n, c) => n + linesOf(c.sha), 0));
    expect(d.agentShare.byAgent.map((a) => [a.agent, a.commits, a.previousCommits]).sort()).toEqual([
      ['claude', 1, 1],
      ['codex', 1, 0],
    ]);
  });

  it('adds the debt of versions agents wrote this week that nobody understands, and pays what marks covered', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const formatOutput = await head('formatOutput');
    const renderList = await head('renderList');
    const renderPage = await head('renderPage');
    const parseConfig = await head('parseConfig');
    // renderPage was written this week too, but bob reviewed it: paid, not added.
    expect(d.debtAdded.items.map((i) => i.symbol).sort()).toEqual(['formatOutput', 'renderList']);
    expect(d.debtAdded.value).toBe(round1(weightOf(formatOutput) + weightOf(renderList)));
    expect(d.debtPaid.items).toEqual([{ symbol: 'renderPage', kind: 'function', file: 'src/web/render.ts', debt: round1(weightOf(renderPage)), by: ['bob'] }]);
    expect(d.debtPaid.value).toBe(round1(weightOf(renderPage)));
    // Last week: nothing agent-written was left un-understood; ada paid parseConfig and formatOutput's first version.
    const [v1] = await store.db.select().from(symbolChanges).where(and(eq(symbolChanges.name, 'formatOutput'), eq(symbolChanges.change, 'added')));
    expect(d.debtAdded.previous).toBe(0);
    expect(d.debtPaid.previous).toBe(round1(weightOf(parseConfig) + weightOf(v1!)));
  });

  it('computes team coverage at the end of each week from the marks written by then', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const all = await Promise.all(['parseConfig', 'formatOutput', 'renderPage', 'renderList'].map(head));
    const total = all.reduce((n, s) => n + weightOf(s), 0);
    const covered = weightOf(all[0]!) + weightOf(all[2]!);
    expect(d.coverage.value).toBeCloseTo(covered / total, 4);
    expect(d.coverage.previous).toBe(1);
    expect(d.coverageTrend.at(-1)!.coverage).toBe(d.coverage.value);
    expect(d.coverageTrend.at(-2)!.coverage).toBe(d.coverage.previous);
    // Before any agent code existed there was nothing to understand (the model's convention: 1).
    expect(d.coverageTrend[0]!.coverage).toBe(1);
  });

  it('lists hotspots, new islands, stale areas, rubber stamps, engineers and unlinked authors', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    expect(d.hotspots.map((h) => h.symbol).sort()).toEqual(['formatOutput', 'renderList']);
    expect(d.hotspots.every((h) => h.score > 0 && h.coverage === 0)).toBe(true);

    // New this week: bob alone understands renderPage, sub (as its author), and so all of src/web.
    // ada's parseConfig / add / src/core islands already existed last week.
    const islands = d.islands.map((i) => (i.scope === 'directory' ? `dir ${i.directory} ${i.engineer}` : `${i.symbol} ${i.engineer}`)).sort();
    expect(islands).toEqual(['dir src/web bob', 'renderPage bob', 'sub bob']);
    expect(d.islands.find((i) => i.scope === 'symbol' && i.symbol === 'sub')).toMatchObject({ byAuthorship: true });

    expect(d.staleAreas).toEqual([expect.objectContaining({ directory: 'src/format', engineers: ['ada'], symbols: 1 })]);
    expect(d.rubberStamps).toEqual([
      { pr: 7, title: 'Render <b>pages</b>', reviewer: 'bob', submittedAt: '2026-11-18T09:00:00.000Z', reason: 'approved 420 changed lines without a comment' },
    ]);

    const byHandle = Object.fromEntries(d.engineers.map((e) => [e.handle, e]));
    expect(byHandle.ada!.marks).toEqual({ viewed: 1, reviewed: 0, explained: 0, total: 1 });
    expect(byHandle.ada!.previousMarks).toBe(2);
    expect(byHandle.ada!.staleMarks).toBe(1);
    expect(byHandle.bob!.marks).toEqual({ viewed: 0, reviewed: 1, explained: 0, total: 1 });
    const all = await Promise.all(['parseConfig', 'formatOutput', 'renderPage', 'renderList'].map(head));
    const total = all.reduce((n, s) => n + weightOf(s), 0);
    expect(byHandle.ada!.coverage).toBeCloseTo(weightOf(all[0]!) / total, 4);
    expect(byHandle.ada!.previousCoverage).toBe(1);
    expect(byHandle.bob!.coverage).toBeCloseTo(weightOf(all[2]!) / total, 4);

    expect(d.unlinkedAuthors).toEqual([{ email: CAROL.email, name: CAROL.name, commits: 1, lastCommitAt: '2026-11-19T11:00:00.000Z' }]);
  });
});

describe('the week in progress and bad weeks', () => {
  it('defaults to the current week and counts marks up to now', async () => {
    const d = await buildDigest(store, { now: NOW_MS });
    expect(d.week).toBe('2026-W48');
    expect(d.previousWeek).toBe('2026-W47');
    const formatOutput = await head('formatOutput');
    expect(d.debtPaid.items).toEqual([{ symbol: 'formatOutput', kind: 'function', file: 'src/format/output.ts', debt: round1(weightOf(formatOutput)), by: ['bob'] }]);
    expect(d.debtAdded.value).toBe(0);
    expect(d.coverage.previous).toBe((await buildDigest(store, { week: '2026-W47', now: NOW_MS })).coverage.value);
    expect(d.staleAreas).toEqual([]);
    expect(d.agentShare.commits.total).toBe(0);
    expect(d.agentShare.commits.share).toBeNull();
  });

  it('refuses malformed, impossible and future weeks with a clear GraspError', async () => {
    for (const [week, message] of [
      ['2026-47', /expected an ISO week such as 2026-W47/],
      ['2026-W54', /2026 has weeks 01 to 53/],
      ['2025-W53', /2025 has weeks 01 to 52/],
      ['2026-W00', /weeks 01 to/],
      ['2026-W49', /has not started yet/],
    ] as const) {
      const err = await buildDigest(store, { week, now: NOW_MS }).catch((e: unknown) => e);
      expect(err, week).toBeInstanceOf(GraspError);
      expect((err as GraspError).code).toBe('invalid');
      expect((err as GraspError).message).toMatch(message);
    }
  });
});

describe('GET /api/digest', () => {
  it('serves the same digest as buildDigest, and 400 for a bad week', async () => {
    const app = createApp({ store, now: () => NOW_MS });
    const ok = await app.request('/api/digest?week=2026-W47');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(JSON.parse(JSON.stringify(await buildDigest(store, { week: '2026-W47', now: NOW_MS }))));
    const current = await app.request('/api/digest');
    expect(((await current.json()) as { week: string }).week).toBe('2026-W48');
    const md = await app.request('/api/digest?week=2026-W47&format=md');
    expect(md.headers.get('Content-Type')).toMatch(/text\/markdown/);
    expect(await md.text()).toContain('# grasp digest 2026-W47');
    const html = await app.request('/api/digest?week=2026-W47&format=html');
    expect(html.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(await html.text()).toContain('<svg class="chart coverage-trend"');
    for (const q of ['week=next', 'week=2026-W60', 'week=', `week=${'9'.repeat(40)}`, 'format=pdf']) {
      const bad = await app.request(`/api/digest?${q}`);
      expect(bad.status, q).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid');
    }
  });
});

describe('renderers', () => {
  it('escapes untrusted text in Markdown and HTML', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const md = renderDigestMarkdown(d);
    expect(md).toContain('# grasp digest 2026-W47');
    expect(md).toContain('Render &lt;b&gt;pages&lt;/b&gt;');
    expect(md).not.toContain('<b>');
    const html = await renderDigestHtml(d);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('Render &lt;b&gt;pages&lt;/b&gt;');
    expect(html).not.toContain('<b>pages');
    expect(html).not.toContain('<script');
    // One data point per trend week, carrying its value.
    expect(html.match(/<circle class="point"/g)).toHaveLength(8);
    expect(html).toContain(`data-value="${d.coverage.value}"`);
  });
});

describe('grasp digest (CLI)', () => {
  // Run from another directory: the CLI must not depend on finding this repository's tsconfig.
  const grasp = (...args: string[]) => spawnSync(process.execPath, [BIN, 'digest', '--db', dbFile, ...args], { encoding: 'utf8', cwd: tempDir() });

  it('prints JSON equal to buildDigest, Markdown by default, and writes HTML with --out', async () => {
    const json = grasp('--week', '2026-W47', '--format', 'json');
    expect(json.status, json.stderr).toBe(0);
    // The CLI's clock is the real one; W47 is over, so the digest does not depend on it.
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(await buildDigest(store, { week: '2026-W47' }))));
    const md = grasp('--week', '2026-W47');
    expect(md.status).toBe(0);
    expect(md.stdout).toContain('# grasp digest 2026-W47');
    const out = join(tempDir(), 'digest.html');
    const html = grasp('--week', '2026-W47', '--format', 'html', '--out', out);
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toBe('');
    const file = readFileSync(out, 'utf8');
    expect(file).toMatch(/^<!DOCTYPE html>/);
    expect(file).toContain('<svg');
  });

  it('exits 2 with a clear message for a bad week or format', () => {
    const bad = grasp('--week', '2026-W99');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/invalid week "2026-W99": 2026 has weeks 01 to 53/);
    const fmt = grasp('--format', 'pdf');
    expect(fmt.status).toBe(2);
    expect(fmt.stderr).toMatch(/--format must be one of md, json, html/);
  });
});
