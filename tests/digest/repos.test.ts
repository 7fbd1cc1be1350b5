/**
 * The digest of a team database holding two repositories (real git fixtures, real ingest and
 * analysis, one database): a row per repository with its own figures and the team's total row,
 * in JSON, Markdown, HTML and through the CLI. The same helper exists byte for byte in both
 * repositories, so a mark in one must never count for the other (regression: the digest's
 * snapshots keyed marks by content hash alone). Expected figures are computed here from the
 * stored rows and the model's formulas, not copied from output.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { complexityWeight } from '../../src/core/debt.ts';
import { buildDigest } from '../../src/digest/build.ts';
import { renderDigestHtml } from '../../src/digest/html.tsx';
import { renderDigestMarkdown } from '../../src/digest/markdown.ts';
import type { Digest, RepoFigures } from '../../src/digest/types.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { commits, fileChanges, symbols } from '../../src/db/schema.ts';
import { forRepo, type RepoStore, type Store } from '../../src/db/store.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, HUMAN, HUMAN2 } from '../helpers/git-fixture.ts';
import { openTempStore, tempDbPath } from '../helpers/marks-seed.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'grasp.mjs');
const at = (iso: string) => Date.parse(iso);
const sec = (iso: string) => at(iso) / 1000;
const NOW_MS = at('2026-11-24T12:00:00Z'); // Tuesday of 2026-W48
const W47 = { start: sec('2026-11-16T00:00:00Z'), end: sec('2026-11-23T00:00:00Z') };
const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';
// Byte for byte in both repositories: the same content hash in two repositories.
const SHARED = 'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return lo;\n  if (x > hi) return hi;\n  return x;\n}\n';

let store: Store;
let dbFile: string;
const repo: Record<'web' | 'api', GitFixture> = {} as never;
const scoped: Record<string, RepoStore> = {};

async function ingest(name: 'web' | 'api'): Promise<void> {
  const { repoId } = await ingestRepository(store, repo[name].dir, { name });
  scoped[name] = forRepo(store, repoId);
  await analyzeRepository(scoped[name]!, repo[name].dir);
}

async function head(name: 'web' | 'api', symbol: string) {
  const [row] = await store.db
    .select()
    .from(symbols)
    .where(and(eq(symbols.repoId, scoped[name]!.repoId), eq(symbols.name, symbol), eq(symbols.alive, true)));
  if (!row) throw new Error(`no symbol ${symbol} in ${name}`);
  return row;
}
const weightOf = (s: { agentLines: number; complexity: number }) => s.agentLines * complexityWeight(s.complexity);
const round1 = (x: number) => Math.round(x * 10) / 10;
const rowOf = (d: Digest, name: string) => d.repos.find((r) => r.name === name)!;

/** Lines and commits of one repository's non-merge commits of 2026-W47, agent and total. */
async function weekActivity(name: 'web' | 'api') {
  const id = scoped[name]!.repoId;
  const rows = (await store.db.select().from(commits).where(eq(commits.repoId, id))).filter((c) => c.authorDate >= W47.start && c.authorDate < W47.end);
  const changes = await store.db.select().from(fileChanges).where(eq(fileChanges.repoId, id));
  const linesOf = (sha: string) => changes.filter((c) => c.sha === sha).reduce((n, c) => n + (c.added ?? 0) + (c.deleted ?? 0), 0);
  const agent = rows.filter((c) => c.kind === 'agent');
  return {
    commits: { agent: agent.length, total: rows.length },
    lines: { agent: agent.reduce((n, c) => n + linesOf(c.sha), 0), total: rows.reduce((n, c) => n + linesOf(c.sha), 0) },
  };
}

beforeAll(async () => {
  dbFile = tempDbPath();
  store = openTempStore(dbFile);
  const ada = await addEngineer(store, { handle: 'ada', name: 'Ada Human', emails: [HUMAN.email] });
  const bob = await addEngineer(store, { handle: 'bob', name: 'Bob Builder', emails: [HUMAN2.email] });

  repo.web = new GitFixture();
  repo.web.write('src/util.ts', SHARED).write('src/page.ts', "export function render(title: string): string {\n  return title ? '<h1>' + title + '</h1>' : '';\n}\n");
  repo.web.commit({ message: `feat: page\n\n${CLAUDE}\n`, date: '2026-11-10T10:00:00Z', author: HUMAN });
  repo.web.write('src/list.ts', "export function renderList(items: string[]): string {\n  return items.map((i) => (i ? '<li>' + i + '</li>' : '')).join('');\n}\n");
  repo.web.commit({ message: `feat: list\n\n${CLAUDE}\n`, date: '2026-11-17T10:00:00Z', author: HUMAN });
  repo.web.write('src/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  repo.web.commit({ message: 'add', date: '2026-11-18T10:00:00Z', author: HUMAN });

  repo.api = new GitFixture();
  repo.api.write('src/util.ts', SHARED);
  repo.api.commit({ message: `feat: util\n\n${CLAUDE}\n`, date: '2026-11-10T11:00:00Z', author: HUMAN2 });
  repo.api.write('src/route.ts', 'export function handle(id: string): string {\n  if (!id) return "missing";\n  return id.trim();\n}\n');
  repo.api.commit({ message: `feat: route\n\n${CLAUDE}\n`, date: '2026-11-19T10:00:00Z', author: HUMAN2 });

  await ingest('web');
  await ingest('api');
  // ada understands web's clamp from W46 on; bob reviews api's identical clamp only in W47.
  await recordMarks(scoped.web!, { engineer: ada, target: 'src/util.ts#clamp', level: 'reviewed', source: 'cli', now: at('2026-11-12T09:00:00Z') });
  await recordMarks(scoped.api!, { engineer: bob, target: 'src/util.ts#clamp', level: 'reviewed', source: 'cli', now: at('2026-11-18T09:00:00Z') });
}, 120_000);

afterAll(() => {
  store?.close();
  for (const r of Object.values(repo)) r?.cleanup();
  rmSync(dbFile, { force: true });
});

describe('digest of a team database with two repositories', () => {
  it('has one row per repository, by name, with its head and its own agent share and denominators', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    expect(d.repos.map((r) => r.name)).toEqual(['api', 'web']);
    expect(rowOf(d, 'web').head).toBe(repo.web.head());
    expect(rowOf(d, 'api').head).toBe(repo.api.head());
    for (const name of ['web', 'api'] as const) {
      const want = await weekActivity(name);
      const row = rowOf(d, name);
      expect(row.commits).toBe(want.commits.total);
      expect(row.agentShare.commits).toMatchObject({ ...want.commits, share: Math.round((want.commits.agent / want.commits.total) * 1e4) / 1e4 });
      expect(row.agentShare.lines).toMatchObject(want.lines);
    }
    // web: the agent's list and the human's add this week; api: only the agent's route.
    expect(rowOf(d, 'web').agentShare.commits).toMatchObject({ agent: 1, total: 2, previousAgent: 1, previousTotal: 1 });
    expect(rowOf(d, 'api').agentShare.commits).toMatchObject({ agent: 1, total: 1, share: 1 });
  });

  it("gives each repository its coverage (understood weight / weight), debt, new debt and top items: a mark covers its own repository's clamp only", async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const [webClamp, render, renderList, apiClamp, handle] = await Promise.all([head('web', 'clamp'), head('web', 'render'), head('web', 'renderList'), head('api', 'clamp'), head('api', 'handle')]);
    expect(webClamp.hash).toBe(apiClamp.hash);

    const web = rowOf(d, 'web');
    const webWeight = weightOf(webClamp) + weightOf(render) + weightOf(renderList);
    expect(web.coverage.weight).toBe(round1(webWeight));
    expect(web.coverage.understoodWeight).toBe(round1(weightOf(webClamp)));
    expect(web.coverage.value).toBeCloseTo(weightOf(webClamp) / webWeight, 4);
    expect(web.coverage.previous).toBeCloseTo(weightOf(webClamp) / (weightOf(webClamp) + weightOf(render)), 4);
    expect(web.debt).toBe(round1(weightOf(render) + weightOf(renderList)));
    expect(web.debtAdded).toEqual({ value: round1(weightOf(renderList)), symbols: 1 });
    expect(web.topItems.map((i) => i.symbol)).toEqual([render, renderList].sort((a, b) => weightOf(b) - weightOf(a) || a.file.localeCompare(b.file)).map((s) => s.name));

    const api = rowOf(d, 'api');
    expect(api.coverage.value).toBeCloseTo(weightOf(apiClamp) / (weightOf(apiClamp) + weightOf(handle)), 4);
    // At the end of W46 nobody understood api's clamp: ada's mark is on web's.
    expect(api.coverage.previous).toBe(0);
    expect(api.debt).toBe(round1(weightOf(handle)));
    expect(api.debtAdded).toEqual({ value: round1(weightOf(handle)), symbols: 1 });
    expect(api.topItems).toEqual([{ symbol: 'handle', kind: 'function', file: 'src/route.ts', debt: round1(weightOf(handle)) }]);
  });

  it('adds a team total row that sums the repositories and equals the team figures at the top', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const t: RepoFigures = d.totals;
    const sum = (pick: (r: RepoFigures) => number) => d.repos.reduce((n, r) => n + pick(r), 0);
    expect(t.commits).toBe(sum((r) => r.commits));
    expect(t.agentShare.lines.agent).toBe(sum((r) => r.agentShare.lines.agent));
    expect(t.agentShare.lines.total).toBe(sum((r) => r.agentShare.lines.total));
    expect(t.debt).toBeCloseTo(sum((r) => r.debt), 0);
    expect(t.debtAdded.symbols).toBe(sum((r) => r.debtAdded.symbols));
    expect(t.coverage.weight).toBeCloseTo(sum((r) => r.coverage.weight), 0);
    expect(t.coverage.understoodWeight).toBeCloseTo(sum((r) => r.coverage.understoodWeight), 0);
    // The top-level figures are the team's: the total row restates them.
    expect(t.coverage.value).toBe(d.coverage.value);
    expect(t.coverage.previous).toBe(d.coverage.previous);
    expect(t.debtAdded.value).toBe(d.debtAdded.value);
    expect(t.agentShare.lines).toEqual(d.agentShare.lines);
    expect(t.agentShare.commits).toEqual(d.agentShare.commits);
    expect(t.topItems.length).toBe(3);
  });

  it("pays api's clamp in W47 although web's identical clamp was understood the week before (regression)", async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const apiClamp = await head('api', 'clamp');
    expect(d.debtPaid.items).toEqual([{ symbol: 'clamp', kind: 'function', file: 'src/util.ts', debt: round1(weightOf(apiClamp)), by: ['bob'] }]);
  });

  it("keeps api's clamp un-understood at W46 in the coverage trend (regression: the trend's cheap snapshots matched marks by hash alone)", async () => {
    // In W48's digest W46 is an early trend week, computed from fresh marks only.
    const d = await buildDigest(store, { week: '2026-W48', now: NOW_MS });
    const [webClamp, render, apiClamp] = await Promise.all([head('web', 'clamp'), head('web', 'render'), head('api', 'clamp')]);
    const w46 = d.coverageTrend.find((t) => t.week === '2026-W46')!;
    expect(w46.coverage).toBeCloseTo(weightOf(webClamp) / (weightOf(webClamp) + weightOf(render) + weightOf(apiClamp)), 4);
  });

  it('narrowed to one repository (--repo), lists that row only and its total equals it', async () => {
    const d = await buildDigest(scoped.api!, { week: '2026-W47', now: NOW_MS });
    expect(d.repos.map((r) => r.name)).toEqual(['api']);
    const { name: _name, head: _head, ...figures } = d.repos[0]!;
    expect(d.totals).toEqual(figures);
  });

  it('renders the per-repository table with a total row in Markdown and HTML', async () => {
    const d = await buildDigest(store, { week: '2026-W47', now: NOW_MS });
    const md = renderDigestMarkdown(d);
    const table = md.slice(md.indexOf('## Repositories'), md.indexOf('## Coverage trend'));
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(rows.map((l) => l.split(' | ')[0])).toEqual(['| Repository', '| api', '| web', '| **Total**']);
    expect(rows[2]).toContain(`| ${rowOf(d, 'web').debt} |`);
    expect(rows[3]).toContain(`| ${d.totals.commits} | `);

    const html = await renderDigestHtml(d);
    expect(html).toMatch(/<table class="repos">/);
    expect(html).toContain('<tr data-repo="web">');
    expect(html).toContain('<tr data-repo="api">');
    expect(html).toMatch(/<tfoot><tr class="total" data-repo=""><th scope="row">Total<\/th>/);
  });

  it('grasp digest --db T --format json has the repos array and the totals', () => {
    const r = spawnSync(process.execPath, [BIN, 'digest', '--db', dbFile, '--format', 'json', '--week', '2026-W47'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout) as Digest;
    expect(d.repos.map((x) => x.name)).toEqual(['api', 'web']);
    expect(Object.keys(d.repos[0]!)).toEqual(['name', 'head', 'commits', 'agentShare', 'coverage', 'debt', 'debtAdded', 'topItems']);
    expect(d.totals.commits).toBe(3);
    const one = spawnSync(process.execPath, [BIN, 'digest', '--db', dbFile, '--format', 'json', '--week', '2026-W47', '--repo', 'web'], { encoding: 'utf8', timeout: 60_000 });
    expect(one.status).toBe(0);
    expect((JSON.parse(one.stdout) as Digest).repos.map((x) => x.name)).toEqual(['web']);
  });
});
