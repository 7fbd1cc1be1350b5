/**
 * The pages over HTTP without a browser (app.request): login and the cookie it sets, CSRF
 * refusal, marks written from forms, read-only pages when logged out, escaping of commit text,
 * security headers, and errors as HTML pages.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marks, pullRequests } from '../../src/db/schema.ts';
import { createApp } from '../../src/http/app.ts';
import { buildPagesFixture, FIXTURE_NOW, type PagesFixture } from '../helpers/browser.ts';
import { sessionCookie } from '../helpers/login.ts';

let fx: PagesFixture;
let app: ReturnType<typeof createApp>;
const ORIGIN = 'http://localhost';

beforeAll(async () => {
  fx = await buildPagesFixture();
  app = createApp({ store: fx.store, now: () => FIXTURE_NOW });
  for (const token of [fx.tokens.ada, fx.tokens.bob]) sessions.set(token, await sessionCookie(fx.store, token, FIXTURE_NOW));
}, 120_000);
afterAll(() => fx?.cleanup());

/** Login cookies (web sessions) opened in beforeAll, by token. */
const sessions = new Map<string, string>();
const cookieOf = (token: string) => sessions.get(token) ?? `grasp_session=${token}`;
function form(fields: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
}
function post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  return app.request(`${ORIGIN}${path}`, {
    method: 'POST',
    body: form(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...headers },
  });
}
const get = (path: string, headers: Record<string, string> = {}) => app.request(`${ORIGIN}${path}`, { headers });
const marksOf = (engineerId: number, name: string) =>
  fx.store.db.select().from(marks).where(and(eq(marks.engineerId, engineerId), eq(marks.name, name)));

describe('security headers and assets', () => {
  it('sends a strict CSP on pages and serves the stylesheet from our origin', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/text\/html/);
    expect((await res.clone().text()).startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    const css = await get('/assets/grasp.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toMatch(/text\/css/);
    expect(await css.text()).toContain('svg.chart');
  });

  it('shows coverage, debt and hotspots on the overview', async () => {
    const html = await (await get('/')).text();
    expect(html).toMatch(/data-metric="team-coverage">[\d.]+%/);
    expect(html).toContain('src/web/list.ts#renderList');
    expect(html).toContain('href="/engineers/ada"');
  });
});

describe('login', () => {
  it('sets an HttpOnly, SameSite=Strict cookie for a good engineer token and redirects', async () => {
    const res = await post('/login', { token: fx.tokens.ada, next: '/digest' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/digest');
    const cookie = res.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^grasp_session=grasp_session_[A-Za-z0-9_-]{43};/);
    expect(cookie).not.toContain(fx.tokens.ada);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
  });

  it('goes to the engineer page by default and never to another host', async () => {
    expect((await post('/login', { token: fx.tokens.bob })).headers.get('Location')).toBe('/engineers/bob');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      expect((await post('/login', { token: fx.tokens.bob, next })).headers.get('Location'), next).toBe('/engineers/bob');
    }
  });

  it('refuses bad and admin tokens with the login page and no cookie', async () => {
    const bad = await post('/login', { token: 'grasp_not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('Set-Cookie')).toBeNull();
    expect(await bad.text()).toContain('That token did not work');
    const admin = await post('/login', { token: fx.tokens.admin });
    expect(admin.status).toBe(401);
    expect(await admin.text()).toContain('admin token');
  });

  it('refuses a login form posted from another site (CSRF)', async () => {
    const res = await post('/login', { token: fx.tokens.ada }, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('logs out by ending the session and clearing the cookie', async () => {
    const own = await sessionCookie(fx.store, fx.tokens.ada, FIXTURE_NOW);
    const res = await post('/logout', {}, { Cookie: own });
    expect(res.status).toBe(303);
    expect(res.headers.get('Set-Cookie')).toMatch(/grasp_session=;.*Max-Age=0/);
    expect(await (await get('/engineers/ada', { Cookie: own })).text()).toContain('class="notice login-prompt"');
  });
});

describe('engineer page', () => {
  it('is read-only without a login: disabled buttons and a login link', async () => {
    const html = await (await get('/engineers/ada')).text();
    expect(html).toContain('class="notice login-prompt"');
    expect(html).toContain('href="/login?next=%2Fengineers%2Fada"');
    expect(html).toMatch(/<button type="submit" name="action" value="reviewed" disabled=""/);
  });

  it('records a reviewed mark as the logged-in engineer and the item leaves the list', async () => {
    const before = await (await get('/engineers/ada', { Cookie: cookieOf(fx.tokens.ada) })).text();
    expect(before).toContain('data-target="src/web/render.ts#renderPage"');
    expect(before).not.toMatch(/value="reviewed" disabled/);
    const res = await post('/marks', { target: 'src/web/render.ts#renderPage', level: 'reviewed', back: '/engineers/ada' }, { Cookie: cookieOf(fx.tokens.ada) });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/engineers/ada?marked=reviewed');
    const rows = await marksOf(fx.engineers.ada.id, 'renderPage');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ level: 'reviewed', source: 'web', createdAt: FIXTURE_NOW / 1000 });
    const after = await (await get('/engineers/ada?marked=reviewed', { Cookie: cookieOf(fx.tokens.ada) })).text();
    expect(after).not.toContain('data-target="src/web/render.ts#renderPage"');
    expect(after).toContain('Saved: marked reviewed.');
  });

  it('requires the explanation for "explained" and stores it', async () => {
    const empty = await post('/marks', { target: 'src/core/parse.ts#parseConfig', level: 'explained', note: '  ', back: '/engineers/bob' }, { Cookie: cookieOf(fx.tokens.bob) });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('requires a note');
    const ok = await post('/marks', { target: 'src/core/parse.ts#parseConfig', level: 'explained', note: 'splits key=value lines', back: '/engineers/bob' }, { Cookie: cookieOf(fx.tokens.bob) });
    expect(ok.status).toBe(303);
    expect(await marksOf(fx.engineers.bob.id, 'parseConfig')).toEqual([expect.objectContaining({ level: 'explained', note: 'splits key=value lines', source: 'web' })]);
  });

  it('refuses cross-site mark posts and sends logged-out writers to the login page', async () => {
    const before = (await marksOf(fx.engineers.ada.id, 'renderList')).length;
    const cross = await post('/marks', { target: 'src/web/list.ts#renderList', level: 'reviewed', back: '/' }, { Cookie: cookieOf(fx.tokens.ada), Origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    const noOrigin = await app.request(`${ORIGIN}/marks`, {
      method: 'POST',
      body: form({ target: 'src/web/list.ts#renderList', level: 'reviewed' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieOf(fx.tokens.ada) },
    });
    expect(noOrigin.status).toBe(403);
    const anonymous = await post('/marks', { target: 'src/web/list.ts#renderList', level: 'reviewed', back: '/engineers/ada' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toBe('/login?next=%2Fengineers%2Fada');
    const revoked = await post('/marks', { target: 'src/web/list.ts#renderList', level: 'reviewed', back: '//evil.example' }, { Cookie: cookieOf('grasp_' + 'x'.repeat(43)) });
    expect(revoked.headers.get('Location')).toBe('/login?next=%2F');
    expect((await marksOf(fx.engineers.ada.id, 'renderList')).length).toBe(before);
  });

  it('shows what changed since a stale mark, with the code as text', async () => {
    const html = await (await get('/engineers/ada')).text();
    expect(html).toMatch(/data-target="src\/format\/output.ts#formatOutput"[\s\S]*?class="tag stale"/);
    expect(html).toContain('<pre class="diff">');
    expect(html).toContain('&lt;script&gt;window.__xss=3&lt;/script&gt;');
    expect(html).not.toContain('<script>window.__xss');
  });

  it('answers unknown engineers and bad handles with HTML error pages', async () => {
    const missing = await get('/engineers/nobody');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Type')).toMatch(/text\/html/);
    expect(await missing.text()).toContain('no engineer with handle');
    expect((await get('/engineers/%3Cscript%3E')).status).toBe(400);
  });
});

describe('checklist page', () => {
  it('lists the range with tick boxes, commit subjects as text, and ticks write reviewed marks', async () => {
    const path = `/checklist?base=${fx.shas.w46.slice(0, 12)}&head=${fx.shas.head.slice(0, 12)}`;
    const html = await (await get(path, { Cookie: cookieOf(fx.tokens.bob) })).text();
    expect(html).toContain('name="target" value="src/web/list.ts#renderList"');
    expect(html).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt; tweak list');
    expect(html).not.toContain('<script>');
    const res = await post('/marks', { target: ['src/web/list.ts#renderList', 'src/format/output.ts#formatOutput'], level: 'reviewed', back: path }, { Cookie: cookieOf(fx.tokens.bob) });
    expect(res.status).toBe(303);
    expect(await marksOf(fx.engineers.bob.id, 'renderList')).toEqual([expect.objectContaining({ level: 'reviewed', source: 'web' })]);
    const after = await (await get(path, { Cookie: cookieOf(fx.tokens.bob) })).text();
    expect(after).toMatch(/value="src\/web\/list.ts#renderList" checked="" disabled="" data-reviewed="yes"/);
  });

  it('shows a synced pull request as its base..head checklist', async () => {
    await fx.store.db.insert(pullRequests).values({ repoId: 1, number: 8, title: 'List <em>rendering</em>', state: 'OPEN', baseSha: fx.shas.w46, headSha: fx.shas.head, createdAt: 0, updatedAt: 0 });
    const res = await get('/prs/8');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Pull request #8: List &lt;em&gt;rendering&lt;/em&gt;</h1>');
    expect(html).toContain('value="src/web/render.ts#renderPage"');
    expect(html).toContain(`value="${fx.shas.w46}"`);
    expect((await get('/prs/0')).status).toBe(400);
  });

  it('shows the range form alone without a range, and 404 for an unknown pull request', async () => {
    const html = await (await get('/checklist')).text();
    expect(html).toContain('<form method="get" action="/checklist"');
    const pr = await get('/prs/4242');
    expect(pr.status).toBe(404);
    expect(await pr.text()).toContain('#4242');
    expect((await get('/checklist?base=zzzz&head=yyyy')).status).toBe(400);
    expect((await get('/checklist?base=abcdef12&head=abcdef34')).status).toBe(404);
  });
});

describe('digest page', () => {
  it('renders the charts and escapes names and titles from GitHub and commits', async () => {
    const res = await get('/digest?week=2026-W47');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/<circle class="point"/g)).toHaveLength(8);
    expect(html).toContain('<svg class="chart agent-share"');
    expect(html).toContain('<svg class="chart debt-flow"');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=4&quot;&gt; Render pages');
    // git itself strips "<" and ">" from author names; the quotes that are left are escaped.
    expect(html).toContain('img src=x onerror=&quot;window.__xss=2 <code>mallory@example.com</code>');
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('href="/digest?week=2026-W46"');
  });

  it('defaults to the current week and answers a bad week with a 400 page', async () => {
    expect(await (await get('/digest')).text()).toContain('data-week="2026-W48"');
    const bad = await get('/digest?week=2026-W77');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('2026 has weeks 01 to 53');
  });
});
