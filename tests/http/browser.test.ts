/**
 * The pages in a real browser: Debian's Chromium driven by playwright-core against the app served
 * on a real port over a fixture database (git repository -> ingest -> analysis -> engineers,
 * tokens, marks). Screenshots go to test-artifacts/ (git-ignored).
 */
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marks } from '../../src/db/schema.ts';
import type { RunningServer } from '../../src/node.ts';
import { artifactPath, buildPagesFixture, CHROMIUM_PATH, hasChromium, launchChromium, serveFixture, XSS, type PagesFixture } from '../helpers/browser.ts';

if (!hasChromium) {
  console.warn(`browser tests skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium)`);
}

describe.skipIf(!hasChromium)('pages in Chromium', () => {
  let fx: PagesFixture;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];

  const marksOf = (engineerId: number, file: string, name: string) =>
    fx.store.db.select().from(marks).where(and(eq(marks.engineerId, engineerId), eq(marks.file, file), eq(marks.name, name)));
  const xssRan = () => page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null);

  beforeAll(async () => {
    fx = await buildPagesFixture();
    server = await serveFixture(fx);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close(1000);
    fx?.cleanup();
  });

  it('logs in with a token, clicks "reviewed" on the top item: it leaves the list and the mark is stored', async () => {
    await page.goto(`${server.url}/engineers/ada`);
    // Logged out: read-only, with the buttons disabled and a way to log in.
    expect(await page.locator('.login-prompt').count()).toBe(1);
    expect(await page.locator('button[data-action="reviewed"]').first().isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('engineer-logged-out.png'), fullPage: true });

    await page.locator('header a', { hasText: 'Log in' }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.locator('input[name="token"]').fill(fx.tokens.ada);
    await Promise.all([page.waitForURL(`${server.url}/engineers/ada`), page.locator('form[action="/login"] button[type="submit"]').click()]);
    expect(await page.locator('[data-viewer]').textContent()).toBe('ada');
    const cookies = await context.cookies(server.url);
    expect(cookies.find((c) => c.name === 'grasp_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    const top = page.locator('ol.items > li.item').first();
    const target = (await top.getAttribute('data-target'))!;
    expect(target).toMatch(/^src\/.+#.+/);
    const before = await page.locator('ol.items > li.item').count();
    await Promise.all([page.waitForURL(/marked=reviewed/), top.locator('button[data-action="reviewed"]').click()]);
    expect(await page.locator('[role="status"]').textContent()).toContain('marked reviewed');
    expect(await page.locator(`li.item[data-target="${target}"]`).count()).toBe(0);
    expect(await page.locator('ol.items > li.item').count()).toBe(before - 1);
    await page.screenshot({ path: artifactPath('engineer-after-review.png'), fullPage: true });

    const [file, name] = target.split('#') as [string, string];
    const rows = await marksOf(fx.engineers.ada.id, file, name);
    expect(rows).toEqual([expect.objectContaining({ level: 'reviewed', source: 'web', target })]);
  });

  it('shows a stale item with the diff since the mark, code as text', async () => {
    await page.goto(`${server.url}/engineers/ada`);
    const stale = page.locator('li.item[data-target="src/format/output.ts#formatOutput"]');
    expect(await stale.locator('.tag.stale').count()).toBe(1);
    const diff = await stale.locator('pre.diff').textContent();
    expect(diff).toContain(`+  if (value === undefined) return '${XSS.code}';`);
    expect(await stale.locator('pre.diff script').count()).toBe(0);
    expect(await xssRan()).toBeNull();
  });

  it('submits an explanation from the textarea', async () => {
    await page.goto(`${server.url}/engineers/ada`);
    const item = page.locator('ol.items > li.item').first();
    const target = (await item.getAttribute('data-target'))!;
    await item.locator('textarea[name="note"]').fill('Renders each item as <li>; empty items become a placeholder.');
    await Promise.all([page.waitForURL(/marked=explained/), item.locator('button[data-action="explain"]').click()]);
    expect(await page.locator(`li.item[data-target="${target}"]`).count()).toBe(0);
    const [file, name] = target.split('#') as [string, string];
    const web = (await marksOf(fx.engineers.ada.id, file, name)).filter((m) => m.source === 'web');
    expect(web).toEqual([expect.objectContaining({ level: 'explained', note: 'Renders each item as <li>; empty items become a placeholder.', target })]);
  });

  it('renders the digest charts as inline SVG with data points', async () => {
    await page.goto(`${server.url}/digest?week=2026-W47`);
    const points = page.locator('svg.coverage-trend circle.point');
    expect(await points.count()).toBe(8);
    const values = await points.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
    const json = (await (await page.request.get(`${server.url}/api/digest?week=2026-W47`)).json()) as { coverageTrend: { coverage: number }[] };
    expect(values).toEqual(json.coverageTrend.map((t) => t.coverage));
    // The line passes through every point and is laid out (non-zero size) by the browser.
    const box = await page.locator('svg.coverage-trend polyline.trend-line').boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(await page.locator('svg.agent-share rect.bar').count()).toBe(4);
    expect(await page.locator('svg.debt-flow rect.bar').count()).toBe(4);
    const added = await page.locator('svg.debt-flow rect.debt-added').first().boundingBox();
    expect(added!.width).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('digest.png'), fullPage: true });
  });

  it('stays readable without JavaScript', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(`${server.url}/digest?week=2026-W47`);
    expect(await p.locator('svg.coverage-trend circle.point').count()).toBe(8);
    expect(await p.locator('h1').textContent()).toBe('Digest 2026-W47');
    await noJs.close();
  });

  it('renders XSS payloads from commits and GitHub as text and runs none of them', async () => {
    const range = `/checklist?base=${fx.shas.w46}&head=${fx.shas.head}`;
    await page.goto(`${server.url}${range}`);
    const subjects = await page.locator('ul.commits .subject').allTextContents();
    expect(subjects).toContain(XSS.message);
    await page.goto(`${server.url}/digest?week=2026-W47`);
    expect(await page.locator('ul.rubber-stamps').textContent()).toContain(XSS.prTitle);
    expect(await page.locator('ul.unlinked').textContent()).toContain('onerror="window.__xss=2');
    await page.screenshot({ path: artifactPath('xss-as-text.png'), fullPage: true });
    for (const path of [range, '/digest?week=2026-W47', '/engineers/ada', '/']) {
      await page.goto(`${server.url}${path}`);
      expect(await page.locator('script').count(), path).toBe(0);
      expect(await page.locator('img').count(), path).toBe(0);
      expect(await xssRan(), path).toBeNull();
    }
    expect(dialogs).toEqual([]);
  });

  it('ticks checklist boxes to write reviewed marks; they come back ticked and locked', async () => {
    const range = `/checklist?base=${fx.shas.w46}&head=${fx.shas.head}`;
    await page.goto(`${server.url}${range}`);
    // Earlier tests may have reviewed some items already: those come ticked and locked.
    const open = page.locator('input[type="checkbox"][name="target"]:not([disabled])');
    expect(await open.count()).toBeGreaterThan(0);
    const target = (await open.first().getAttribute('value'))!;
    const box = page.locator(`input[type="checkbox"][value="${target}"]`);
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await Promise.all([page.waitForURL(/marked=reviewed/), page.locator('button[data-action="tick-reviewed"]').click()]);
    const [file, name] = target.split('#') as [string, string];
    expect(await marksOf(fx.engineers.ada.id, file, name ?? '')).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'reviewed', source: 'web', target })]),
    );
    const after = page.locator(`input[type="checkbox"][value="${target}"]`);
    expect(await after.isChecked()).toBe(true);
    expect(await after.isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('checklist.png'), fullPage: true });
  });

  it('logs out: the pages are read-only again', async () => {
    await page.goto(`${server.url}/`);
    expect(await page.evaluate(() => document.compatMode)).toBe('CSS1Compat'); // standards mode
    await page.screenshot({ path: artifactPath('overview.png'), fullPage: true });
    await Promise.all([page.waitForURL(`${server.url}/`), page.locator('form[action="/logout"] button').click()]);
    expect((await context.cookies(server.url)).find((c) => c.name === 'grasp_session')).toBeUndefined();
    await page.goto(`${server.url}/engineers/ada`);
    expect(await page.locator('.login-prompt').count()).toBe(1);
  });
});
