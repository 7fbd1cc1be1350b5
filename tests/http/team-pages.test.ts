/**
 * The team's views in a real browser: one database holding two repositories (real git fixtures,
 * ingested and analyzed under the names web and api), served on a real port, driven by Debian's
 * Chromium. The overview lists both with figures computed here from the stored symbols and the
 * model's formulas; each row links to that repository's views; the engineer page groups the
 * engineer's items by repository in the report's order, and a mark written from a group lands
 * in that group's repository although the same target exists in both.
 */
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { complexityWeight } from '../../src/core/debt.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { marks, symbols } from '../../src/db/schema.ts';
import { forRepo, type RepoStore, type Store } from '../../src/db/store.ts';
import type { Digest } from '../../src/digest/types.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { startServer, type RunningServer } from '../../src/node.ts';
import type { EngineerReport } from '../../src/report/engineer-report.ts';
import { artifactPath, CHROMIUM_PATH, FIXTURE_NOW, hasChromium, launchChromium } from '../helpers/browser.ts';
import { GitFixture, HUMAN, HUMAN2 } from '../helpers/git-fixture.ts';
import { openTempStore, tempDbPath } from '../helpers/marks-seed.ts';

if (!hasChromium) console.warn(`team page tests skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium)`);

const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';
// Byte for byte in both repositories: the same target and content hash in two repositories.
const SHARED = 'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return lo;\n  if (x > hi) return hi;\n  return x;\n}\n';
const NAMES = ['api', 'web'] as const;
type Name = (typeof NAMES)[number];

/** The page's percentage format (one decimal), written out again here. */
const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);
const round1 = (x: number) => Math.round(x * 10) / 10;
const weightOf = (s: { agentLines: number; complexity: number }) => Math.max(0, s.agentLines) * complexityWeight(s.complexity);

describe.skipIf(!hasChromium)('team pages in Chromium: two repositories in one database', () => {
  let store: Store;
  let dbFile: string;
  const repo = {} as Record<Name, GitFixture>;
  const scoped = {} as Record<Name, RepoStore>;
  let adaId = 0;
  let adaToken = '';
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  /** What the overview must show for one repository, from its stored symbols and marks. */
  async function expected(name: Name) {
    const rows = await store.db.select().from(symbols).where(and(eq(symbols.repoId, scoped[name].repoId), eq(symbols.alive, true)));
    const understood = new Set((await store.db.select().from(marks).where(eq(marks.repoId, scoped[name].repoId))).filter((m) => m.level !== 'viewed').map((m) => m.hash));
    const weight = rows.reduce((n, s) => n + weightOf(s), 0);
    const covered = rows.filter((s) => understood.has(s.hash)).reduce((n, s) => n + weightOf(s), 0);
    const agentLines = rows.reduce((n, s) => n + s.agentLines, 0);
    const lines = rows.reduce((n, s) => n + s.agentLines + s.humanLines, 0);
    return { agentShare: pct(lines === 0 ? null : agentLines / lines), coverage: pct(weight === 0 ? 1 : covered / weight), debt: String(round1(weight - covered)) };
  }

  beforeAll(async () => {
    dbFile = tempDbPath();
    store = openTempStore(dbFile);
    const ada = await addEngineer(store, { handle: 'ada', name: 'Ada Human', emails: [HUMAN.email] });
    adaId = ada.id;
    await addEngineer(store, { handle: 'bob', name: 'Bob Builder', emails: [HUMAN2.email] });

    repo.web = new GitFixture();
    repo.web.write('src/util.ts', SHARED).write('src/page.ts', "export function render(title: string): string {\n  return title ? '<h1>' + title + '</h1>' : '';\n}\n");
    repo.web.commit({ message: `feat: page\n\n${CLAUDE}\n`, date: '2026-11-10T10:00:00Z', author: HUMAN });
    repo.web.write('src/list.ts', "export function renderList(items: string[]): string {\n  return items.map((i) => (i ? '<li>' + i + '</li>' : '')).join('');\n}\n");
    repo.web.commit({ message: `feat: list\n\n${CLAUDE}\n`, date: '2026-11-17T10:00:00Z', author: HUMAN });
    repo.web.write('src/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
    repo.web.commit({ message: 'add', date: '2026-11-18T10:00:00Z', author: HUMAN });

    repo.api = new GitFixture();
    repo.api.write('src/util.ts', SHARED);
    repo.api.commit({ message: `feat: util\n\n${CLAUDE}\n`, date: '2026-11-10T11:00:00Z', author: HUMAN });
    repo.api.write('src/route.ts', 'export function handle(id: string): string {\n  if (!id) return "missing";\n  if (id.length > 64) return "too long";\n  return id.trim();\n}\n');
    repo.api.commit({ message: `feat: route\n\n${CLAUDE}\n`, date: '2026-11-19T10:00:00Z', author: HUMAN2 });

    for (const name of ['web', 'api'] as const) {
      const { repoId } = await ingestRepository(store, repo[name].dir, { name });
      scoped[name] = forRepo(store, repoId);
      await analyzeRepository(scoped[name], repo[name].dir);
    }
    // Ada understands web's clamp; api's identical clamp stays debt.
    await recordMarks(scoped.web, { engineer: ada, target: 'src/util.ts#clamp', level: 'reviewed', source: 'cli', now: Date.parse('2026-11-20T09:00:00Z') });
    adaToken = (await createToken(store, { handle: 'ada' })).token;

    server = await startServer({ store, port: 0, now: () => FIXTURE_NOW });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close(1000);
    store?.close();
    for (const r of Object.values(repo)) r?.cleanup();
  });

  it('lists both repositories on the overview with their agent share, coverage, debt, commits and head', async () => {
    await page.goto(`${server.url}/`);
    const rows = page.locator('table.repos tbody tr');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-repo')))).toEqual([...NAMES]);
    for (const name of NAMES) {
      const row = page.locator(`table.repos tr[data-repo="${name}"]`);
      const want = await expected(name);
      expect(await row.locator('[data-figure="agent-share"]').textContent(), name).toBe(want.agentShare);
      expect(await row.locator('[data-figure="coverage"]').textContent(), name).toBe(want.coverage);
      expect(await row.locator('[data-figure="debt"]').textContent(), name).toBe(want.debt);
      expect(await row.locator('[data-figure="commits"]').textContent(), name).toBe(String(repo[name].git('rev-list', '--count', 'HEAD').trim()));
      expect(await row.locator('code').textContent(), name).toBe(repo[name].head().slice(0, 10));
    }
    // Nobody understands api's clamp, though web's identical one is reviewed.
    expect(await page.locator('tr[data-repo="api"] [data-figure="coverage"]').textContent()).toBe('0%');
    expect(await page.locator('tr[data-repo="web"] [data-figure="coverage"]').textContent()).not.toBe('0%');
    await page.screenshot({ path: artifactPath('team-overview.png'), fullPage: true });
  });

  it("follows a repository's link to its own overview, digest and hotspots", async () => {
    await page.goto(`${server.url}/`);
    await Promise.all([page.waitForURL(`${server.url}/?repo=api`), page.locator('tr[data-repo="api"] td a', { hasText: 'api' }).click()]);
    expect(await page.locator('[data-repo-scope]').textContent()).toBe('api');
    expect(await page.locator('[data-metric="debt"]').textContent()).toBe((await expected('api')).debt);
    expect(await page.locator('[data-metric="team-coverage"]').textContent()).toBe('0%');

    await Promise.all([page.waitForURL(`${server.url}/digest?repo=api`), page.locator('tr[data-repo="api"] a', { hasText: 'digest' }).click()]);
    expect(await page.locator('table.repos tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-repo')))).toEqual(['api']);
    const digest = (await (await page.request.get(`${server.url}/api/digest?repo=api`)).json()) as Digest;
    expect(digest.repos.map((r) => r.name)).toEqual(['api']);
    expect(await page.locator('table.repos tfoot [data-figure="debt"]').textContent()).toBe(String(digest.totals.debt));

    const hotspots = await page.request.get(`${server.url}/api/hotspots?repo=api`);
    expect(hotspots.status()).toBe(200);
    const files = ((await hotspots.json()) as { symbols: { file: string }[] }).symbols.map((s) => s.file);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => ['src/util.ts', 'src/route.ts'].includes(f))).toBe(true);
    const unknown = await page.request.get(`${server.url}/api/hotspots?repo=nope`);
    expect(unknown.status()).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('no repository named "nope"; known: api, web');
  });

  it('shows the team digest with a row per repository and the total row', async () => {
    await page.goto(`${server.url}/digest?week=2026-W47`);
    expect(await page.locator('table.repos tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-repo')))).toEqual([...NAMES]);
    const digest = (await (await page.request.get(`${server.url}/api/digest?week=2026-W47`)).json()) as Digest;
    for (const r of digest.repos) {
      expect(await page.locator(`table.repos tr[data-repo="${r.name}"] [data-figure="debt"]`).textContent()).toBe(String(r.debt));
      expect(await page.locator(`table.repos tr[data-repo="${r.name}"] [data-figure="commits"]`).textContent()).toBe(String(r.commits));
    }
    expect(await page.locator('table.repos tfoot th').textContent()).toBe('Total');
    expect(await page.locator('table.repos tfoot [data-figure="commits"]').textContent()).toBe(String(digest.totals.commits));
    await page.screenshot({ path: artifactPath('team-digest.png'), fullPage: true });
  });

  it("groups the engineer's items by repository, each with its count and debt, in the report's order", async () => {
    const report = (await (await page.request.get(`${server.url}/api/engineers/ada/report`)).json()) as EngineerReport;
    expect(new Set(report.items.map((i) => i.repo))).toEqual(new Set(NAMES));
    const order = [...new Set(report.items.map((i) => i.repo))];
    await page.goto(`${server.url}/engineers/ada`);
    const groups = page.locator('section.repo-group');
    expect(await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-repo')))).toEqual(order);
    for (const name of order) {
      const mine = report.items.filter((i) => i.repo === name);
      const group = page.locator(`section.repo-group[data-repo="${name}"]`);
      expect(await group.locator('li.item').evaluateAll((els) => els.map((e) => e.getAttribute('data-target')))).toEqual(mine.map((i) => `${i.file}#${i.symbol}`));
      const debt = round1(mine.reduce((n, i) => n + i.debt, 0));
      expect(await group.locator('[data-group-figures]').textContent()).toBe(`${mine.length} ${mine.length === 1 ? 'item' : 'items'}, debt ${debt}`);
    }
    // web's clamp is understood by ada, api's is not: only api lists it.
    expect(await page.locator('section.repo-group[data-repo="api"] li.item[data-target="src/util.ts#clamp"]').count()).toBe(1);
    expect(await page.locator('section.repo-group[data-repo="web"] li.item[data-target="src/util.ts#clamp"]').count()).toBe(0);
    await page.screenshot({ path: artifactPath('team-engineer.png'), fullPage: true });
  });

  it("writes a mark from a group into that group's repository", async () => {
    await page.goto(`${server.url}/login?next=${encodeURIComponent('/engineers/ada')}`);
    await page.locator('input[name="token"]').fill(adaToken);
    await Promise.all([page.waitForURL(`${server.url}/engineers/ada`), page.locator('form[action="/login"] button[type="submit"]').click()]);
    const item = page.locator('section.repo-group[data-repo="api"] li.item[data-target="src/util.ts#clamp"]');
    await Promise.all([page.waitForURL(/marked=reviewed/), item.locator('button[data-action="reviewed"]').click()]);
    expect(await page.locator('li.item[data-target="src/util.ts#clamp"]').count()).toBe(0);
    const written = await store.db.select().from(marks).where(and(eq(marks.engineerId, adaId), eq(marks.source, 'web')));
    expect(written).toEqual([expect.objectContaining({ repoId: scoped.api.repoId, target: 'src/util.ts#clamp', level: 'reviewed' })]);
    await page.goto(`${server.url}/`);
    expect(await page.locator('tr[data-repo="api"] [data-figure="coverage"]').textContent()).toBe((await expected('api')).coverage);
    expect(await page.locator('tr[data-repo="api"] [data-figure="coverage"]').textContent()).not.toBe('0%');
  });

  it('narrows the engineer page to one repository with ?repo=NAME', async () => {
    await page.goto(`${server.url}/engineers/ada?repo=web`);
    expect(await page.locator('section.repo-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-repo')))).toEqual(['web']);
    const res = await page.goto(`${server.url}/engineers/ada?repo=nope`);
    expect(res!.status()).toBe(404);
    expect(await page.locator('[role="alert"]').textContent()).toContain('no repository named "nope"; known: api, web');
  });
});
